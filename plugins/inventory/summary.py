"""Figures of one regency's inventory, for its dashboard card, the readiness
checks the province watches, search and the core export."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import exists, func, or_, select

from phpnet.plugin_api import CheckResult, Desa, Kecamatan, Regency, SearchResult, Tps, db
from plugins.inventory.models import Category, Entry, Evidence, FollowUp, Stage, Status


@dataclass(frozen=True)
class Counts:
    total: int
    by_stage: dict[Stage, int]
    by_status: dict[Status, int]


def _live(regency_id: int) -> list:
    return [Entry.regency_id == regency_id, Entry.deleted_at.is_(None)]


def counts(regency_id: int) -> Counts:
    rows = db.session.execute(
        select(Entry.stage, Entry.status, func.count(Entry.id))
        .where(*_live(regency_id))
        .group_by(Entry.stage, Entry.status)
    ).all()
    by_stage = dict.fromkeys(Stage, 0)
    by_status = dict.fromkeys(Status, 0)
    for stage, status, number in rows:
        by_stage[stage] += number
        by_status[status] += number
    return Counts(sum(by_stage.values()), by_stage, by_status)


def _count_per_regency(regencies: Sequence[Regency], *conditions: object) -> dict[int, int]:
    """Live entries per regency matching ``conditions``, in one query."""
    rows = db.session.execute(
        select(Entry.regency_id, func.count(Entry.id))
        .where(
            Entry.regency_id.in_([r.id for r in regencies]),
            Entry.deleted_at.is_(None),
            *conditions,
        )
        .group_by(Entry.regency_id)
    ).tuples()
    return dict(rows.all())


def check_started(regencies: Sequence[Regency]) -> dict[int, CheckResult]:
    totals = _count_per_regency(regencies)
    return {r.id: _started(totals.get(r.id, 0)) for r in regencies}


def _started(total: int) -> CheckResult:
    if total == 0:
        return CheckResult("fail", "DIM belum diisi.", "inventory.index")
    return CheckResult("ok", f"{total} entri DIM tercatat.")


def check_follow_up(regencies: Sequence[Regency]) -> dict[int, CheckResult]:
    missing = _count_per_regency(regencies, Entry.follow_up == FollowUp.NONE)
    return {r.id: _followed_up(missing.get(r.id, 0)) for r in regencies}


def _followed_up(missing: int) -> CheckResult:
    if missing:
        return CheckResult("warn", f"{missing} entri belum punya tindak lanjut.", "inventory.index")
    return CheckResult("ok", "Setiap entri punya tindak lanjut.")


def check_disputed_evidence(regencies: Sequence[Regency]) -> dict[int, CheckResult]:
    has_evidence = exists().where(Evidence.entry_id == Entry.id)
    missing = _count_per_regency(regencies, Entry.status == Status.DISPUTE_LIKELY, ~has_evidence)
    return {r.id: _disputed_with_evidence(missing.get(r.id, 0)) for r in regencies}


def _disputed_with_evidence(missing: int) -> CheckResult:
    if missing:
        detail = f"{missing} entri berpotensi sengketa belum punya bukti."
        return CheckResult("fail", detail, "inventory.index")
    return CheckResult("ok", "Setiap entri berpotensi sengketa punya bukti.")


def search(regency_id: int, query: str, limit: int) -> list[SearchResult]:
    entries = db.session.execute(
        select(Entry)
        .outerjoin(Desa, Desa.id == Entry.desa_id)
        .outerjoin(Kecamatan, Kecamatan.id == Entry.kecamatan_id)
        .where(
            *_live(regency_id),
            or_(
                Entry.description.icontains(query, autoescape=True),
                Entry.objector.icontains(query, autoescape=True),
                Entry.record_form_number.icontains(query, autoescape=True),
                Desa.name.icontains(query, autoescape=True),
                Kecamatan.name.icontains(query, autoescape=True),
            ),
        )
        .order_by(Entry.occurred_at.desc())
        .limit(limit)
    ).scalars()
    return [
        SearchResult(
            f"{entry.stage.label}: {entry.description[:80]}",
            url_for("inventory.entry", entry_id=entry.id),
            entry.occurred_at.strftime("%d-%m-%Y %H.%M"),
            entry.status.label,
        )
        for entry in entries
    ]


EXPORT_COLUMNS = (
    "Nomor entri", "Kecamatan", "Desa/Kelurahan", "TPS", "Jenis pemilihan", "Tahapan",
    "Kategori", "Waktu kejadian", "Uraian", "Tindak lanjut", "Status", "Selisih suara",
)  # fmt: skip


def export_rows(regency: Regency) -> Iterator[Sequence[object]]:
    """The DIM as a plain table, for the core export list (the formatted
    office sheet is the list page's own XLSX export)."""
    rows = db.session.execute(
        select(Entry, Kecamatan.name, Desa.name, Tps.number, Category.name)
        .join(Category, Category.id == Entry.category_id)
        .outerjoin(Kecamatan, Kecamatan.id == Entry.kecamatan_id)
        .outerjoin(Desa, Desa.id == Entry.desa_id)
        .outerjoin(Tps, Tps.id == Entry.tps_id)
        .where(*_live(regency.id))
        .order_by(Entry.occurred_at, Entry.id)
        .execution_options(yield_per=1000)
    )
    for entry, kecamatan, desa, tps, category in rows:
        yield (
            entry.id, kecamatan, desa, tps, entry.race.label, entry.stage.label, category,
            entry.occurred_at.strftime("%Y-%m-%d %H:%M"), entry.description,
            entry.follow_up.label, entry.status.label, entry.vote_difference,
        )  # fmt: skip
