"""Entries made directly with the ORM for the list and province tests (the
entry form is tested on its own)."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from phpnet.plugin_api import OfficeUnit, Position, Regency, Team, TeamMember, Tps, db
from plugins.inventory.models import Category, Entry, Level, Race, Stage, Status


def first_tps(regency: Regency, index: int = 0) -> Tps:
    """One of the world's TPS of ``regency`` (3 in each of its first 2 desa)."""
    return (
        db.session.execute(
            select(Tps).filter_by(regency_id=regency.id).order_by(Tps.desa_id, Tps.number)
        )
        .scalars()
        .all()[index]
    )


def category(name_part: str = "") -> Category:
    """A seeded category (shared by every regency)."""
    statement = select(Category).where(Category.regency_id.is_(None)).order_by(Category.id)
    if name_part:
        statement = statement.where(Category.name.icontains(name_part))
    return db.session.execute(statement.limit(1)).scalar_one()


def team_member(regency: Regency, name: str) -> TeamMember:
    team = Team(
        regency_id=regency.id, sk_number="1/2024", sk_date=date(2024, 1, 2), signed_by="Ketua"
    )
    member = TeamMember(
        regency_id=regency.id,
        team=team,
        name=name,
        position=Position.ANGGOTA,
        unit=OfficeUnit.DIVISI_HUKUM,
    )
    db.session.add(member)
    db.session.flush()
    return member


def entry_fields(regency: Regency, **overrides: Any) -> dict[str, Any]:
    """The fields of an entry of ``regency`` with ``overrides``: at the first
    TPS of the regency (or ``tps=``), unless another ``level`` is given."""
    tps = overrides.pop("tps", None)
    if tps is None and overrides.get("level", Level.TPS) is Level.TPS:
        tps = first_tps(regency)
    fields: dict[str, Any] = {
        "regency_id": regency.id,
        "level": Level.TPS,
        "kecamatan_id": tps.kecamatan_id if tps else None,
        "desa_id": tps.desa_id if tps else None,
        "tps_id": tps.id if tps else None,
        "race": Race.DPR,
        "stage": Stage.PEMUNGUTAN,
        "category_id": category().id,
        "occurred_at": datetime(2024, 2, 14, 10, 0),
        "description": "Pemilih tanpa formulir pindah memilih",
        "status": Status.OPEN,
    }
    fields.update(overrides)
    return fields


def make_entry(regency: Regency, **overrides: Any) -> Entry:
    entry = Entry(**entry_fields(regency, **overrides))
    db.session.add(entry)
    db.session.flush()
    return entry


def make_entries(regency: Regency, count: int, **overrides: Any) -> list[Entry]:
    entries = [Entry(**entry_fields(regency, **overrides)) for _ in range(count)]
    db.session.add_all(entries)
    db.session.flush()
    return entries
