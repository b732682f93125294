"""The inventory's charts for the province's dashboard: live DIM entries per
regency by stage and by status, both from one grouped query."""

from collections.abc import Sequence

from sqlalchemy import func, select

from phpnet.plugin_api import Figure, Regency, Series, db
from plugins.inventory.models import Entry, Stage, Status

ORDER = 10


def stage_status_counts(regencies: Sequence[Regency]) -> dict[tuple[int, Stage, Status], int]:
    """Live entries per (regency id, stage, status) of ``regencies``."""
    rows = db.session.execute(
        select(Entry.regency_id, Entry.stage, Entry.status, func.count())
        .where(Entry.deleted_at.is_(None), Entry.regency_id.in_([r.id for r in regencies]))
        .group_by(Entry.regency_id, Entry.status, Entry.stage)
    ).all()
    return {(regency_id, stage, status): n for regency_id, stage, status, n in rows}


def province_figures(regencies: Sequence[Regency]) -> list[Figure]:
    counts = stage_status_counts(regencies)
    names = [r.name for r in regencies]

    def by_stage(stage: Stage) -> list[int]:
        return [sum(counts.get((r.id, stage, s), 0) for s in Status) for r in regencies]

    def by_status(status: Status) -> list[int]:
        return [sum(counts.get((r.id, s, status), 0) for s in Stage) for r in regencies]

    return [
        Figure(
            "dim-tahapan",
            "Entri DIM per kabupaten/kota menurut tahapan",
            names,
            [Series(stage.label, by_stage(stage)) for stage in Stage],
            stacked=True,
            unit=" entri",
            order=ORDER,
        ),
        Figure(
            "dim-status",
            "Entri DIM per kabupaten/kota menurut status",
            names,
            [Series(status.label, by_status(status)) for status in Status],
            stacked=True,
            unit=" entri",
            order=ORDER + 1,
        ),
    ]
