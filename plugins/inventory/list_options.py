"""The options of the DIM list's filter form: the categories, kecamatan and
persons in charge it always offers (kept by the worker, since every list
request checks a value against them), and the desa and TPS of the kecamatan
and desa chosen."""

from collections.abc import Sequence
from typing import Any

from flask import g
from sqlalchemy import exists, literal, literal_column, select, true, union_all

from phpnet.plugin_api import Desa, Kecamatan, TeamMember, Tps, db, worker_cache
from plugins.inventory.models import Category, Entry

ANY = ("", "Semua")
OFFERED = ("category_id", "kecamatan_id", "person_id")  # the filters always offered
INACTIVE = " (tidak dipakai lagi)"
Choices = Sequence[tuple[Any, str]]


def always_offered(regency_id: int) -> dict[str, Choices]:
    """The categories, kecamatan and persons in charge of the regency, by
    name. Every list request checks its filters against them, so a worker
    keeps them until the database changes."""
    kept = worker_cache("inventory_filter_options")
    if kept is None:
        return _read_always_offered(regency_id)
    if regency_id not in kept:
        kept[regency_id] = _read_always_offered(regency_id)
    return kept[regency_id]


def _read_always_offered(regency_id: int) -> dict[str, Choices]:
    """The three in one query: here a query costs more than its rows. The
    persons are team members (of any decree) in charge of a live entry,
    one lookup in ix_inventory_entry_person whatever the number of entries."""
    in_charge = exists().where(
        Entry.person_in_charge_id == TeamMember.id,
        Entry.regency_id == regency_id,
        Entry.deleted_at.is_(None),
    )
    kind, name = literal_column("kind"), literal_column("name")
    statement = union_all(
        select(
            literal("category_id").label("kind"), Category.id, Category.name, Category.is_active
        ).where((Category.regency_id == regency_id) | Category.regency_id.is_(None)),
        select(literal("kecamatan_id"), Kecamatan.id, Kecamatan.name, true()).where(
            Kecamatan.regency_id == regency_id
        ),
        select(literal("person_id"), TeamMember.id, TeamMember.name, true()).where(
            TeamMember.regency_id == regency_id, in_charge
        ),
    ).order_by(kind, name)
    options: dict[str, list[tuple[int, str]]] = {
        "category_id": [],
        "kecamatan_id": [],
        "person_id": [],
    }
    for row_kind, option_id, option_name, is_active in db.session.execute(statement):
        options[row_kind].append((option_id, option_name if is_active else option_name + INACTIVE))
    return options


def desa_choices(kecamatan_id: int | None, desa_id: int | None) -> Choices:
    """The desa of the chosen kecamatan (or just the chosen desa)."""
    if kecamatan_id is None and desa_id is None:
        return [ANY]
    statement = select(Desa.id, Desa.name).where(Desa.regency_id == g.regency.id)
    if kecamatan_id is not None:
        statement = statement.where(Desa.kecamatan_id == kecamatan_id)
    else:
        statement = statement.where(Desa.id == desa_id)
    rows = db.session.execute(statement.order_by(Desa.name)).tuples()
    return [ANY, *((found_id, name) for found_id, name in rows)]  # WTForms takes no Row


def tps_choices(desa_id: int | None, tps_id: int | None) -> Choices:
    """The TPS of the chosen desa (or just the chosen TPS)."""
    if desa_id is None and tps_id is None:
        return [ANY]
    statement = select(Tps.id, Tps.number).where(Tps.regency_id == g.regency.id)
    if desa_id is not None:
        statement = statement.where(Tps.desa_id == desa_id)
    else:
        statement = statement.where(Tps.id == tps_id)
    rows = db.session.execute(statement.order_by(Tps.number)).tuples()
    return [ANY, *((found_id, f"TPS {number:03d}") for found_id, number in rows)]
