"""Figures of the supervision plugin: the dashboard card, the readiness
checks the province watches, and the province's charts.

Everything about many regencies is answered with grouped queries, a fixed
number whatever the number of regencies."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import distinct, func, select

from phpnet.plugin_api import (
    CheckResult,
    Desa,
    Figure,
    Kecamatan,
    Regency,
    Series,
    WeeklyActivity,
    db,
    today_wib,
)
from plugins.supervision.blueprint import LABEL
from plugins.supervision.models import Activity, Body, BodyLevel, FollowUp, FollowUpStatus

# --- The dashboard card -------------------------------------------------------------------


@dataclass(frozen=True)
class CardFigures:
    this_month: int
    open_follow_ups: int
    overdue_total: int
    overdue: list[FollowUp]  # the first few, by due date
    ppk_reached: int
    kecamatan_total: int


OVERDUE_ON_CARD = 5


def card_figures(regency_id: int, today: date) -> CardFigures:
    month_start = today.replace(day=1)
    this_month = db.session.execute(
        select(func.count(Activity.id)).where(
            Activity.regency_id == regency_id,
            Activity.started_on >= month_start,
            Activity.started_on <= today,
        )
    ).scalar_one()
    open_count = _open_follow_ups([regency_id], today).get(regency_id, 0)
    overdue = db.session.execute(
        select(FollowUp)
        .where(*_overdue_conditions(today), FollowUp.regency_id == regency_id)
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(OVERDUE_ON_CARD)
    ).scalars()
    reached = _ppk_reached([regency_id]).get(regency_id, 0)
    total = _kecamatan_totals([regency_id]).get(regency_id, 0)
    overdue_total = overdue_count(regency_id, today)
    return CardFigures(this_month, open_count, overdue_total, list(overdue), reached, total)


def overdue_count(regency_id: int, today: date) -> int:
    return _overdue_per_regency([regency_id], today).get(regency_id, 0)


# --- Grouped figures of many regencies ----------------------------------------------------


def _overdue_conditions(today: date) -> list:
    return [FollowUp.status == FollowUpStatus.OPEN, FollowUp.due_on < today]


def _overdue_per_regency(regency_ids: Sequence[int], today: date) -> dict[int, int]:
    rows = (
        db.session.execute(
            select(FollowUp.regency_id, func.count(FollowUp.id))
            .where(FollowUp.regency_id.in_(regency_ids), *_overdue_conditions(today))
            .group_by(FollowUp.regency_id)
        )
        .tuples()
        .all()
    )
    return dict(rows)


def _open_follow_ups(regency_ids: Sequence[int], today: date) -> dict[int, int]:
    rows = (
        db.session.execute(
            select(FollowUp.regency_id, func.count(FollowUp.id))
            .where(FollowUp.regency_id.in_(regency_ids), FollowUp.status == FollowUpStatus.OPEN)
            .group_by(FollowUp.regency_id)
        )
        .tuples()
        .all()
    )
    return dict(rows)


def _ppk_reached(regency_ids: Sequence[int]) -> dict[int, int]:
    """Kecamatan whose PPK was reached at least once, per regency."""
    rows = (
        db.session.execute(
            select(Body.regency_id, func.count(distinct(Body.kecamatan_id)))
            .where(Body.regency_id.in_(regency_ids), Body.level == BodyLevel.PPK)
            .group_by(Body.regency_id)
        )
        .tuples()
        .all()
    )
    return dict(rows)


def _pps_reached(regency_ids: Sequence[int]) -> dict[int, int]:
    rows = (
        db.session.execute(
            select(Body.regency_id, func.count(distinct(Body.desa_id)))
            .where(Body.regency_id.in_(regency_ids), Body.level == BodyLevel.PPS)
            .group_by(Body.regency_id)
        )
        .tuples()
        .all()
    )
    return dict(rows)


def _kecamatan_totals(regency_ids: Sequence[int]) -> dict[int, int]:
    rows = (
        db.session.execute(
            select(Kecamatan.regency_id, func.count(Kecamatan.id))
            .where(Kecamatan.regency_id.in_(regency_ids))
            .group_by(Kecamatan.regency_id)
        )
        .tuples()
        .all()
    )
    return dict(rows)


def _desa_totals(regency_ids: Sequence[int]) -> dict[int, int]:
    rows = (
        db.session.execute(
            select(Desa.regency_id, func.count(Desa.id))
            .where(Desa.regency_id.in_(regency_ids))
            .group_by(Desa.regency_id)
        )
        .tuples()
        .all()
    )
    return dict(rows)


# --- Readiness checks ---------------------------------------------------------------------


def check_ppk_reached(regencies: Sequence[Regency]) -> dict[int, CheckResult]:
    """Every kecamatan's PPK reached at least once: none fails, some warns."""
    ids = [r.id for r in regencies]
    reached, totals = _ppk_reached(ids), _kecamatan_totals(ids)
    return {r.id: _ppk_result(reached.get(r.id, 0), totals.get(r.id, 0)) for r in regencies}


def _ppk_result(reached: int, total: int) -> CheckResult:
    if reached == 0:
        return CheckResult(
            "fail", "Belum ada PPK yang dikunjungi atau didampingi.", "supervision.coverage"
        )
    if reached < total:
        detail = f"PPK {reached} dari {total} kecamatan sudah dijangkau; {total - reached} belum."
        return CheckResult("warn", detail, "supervision.coverage")
    return CheckResult("ok", f"PPK di semua {total} kecamatan sudah dijangkau.")


def check_no_overdue(regencies: Sequence[Regency]) -> dict[int, CheckResult]:
    overdue = _overdue_per_regency([r.id for r in regencies], today_wib())
    return {r.id: _overdue_result(overdue.get(r.id, 0)) for r in regencies}


def _overdue_result(overdue: int) -> CheckResult:
    if overdue:
        detail = f"{overdue} tindak lanjut supervisi melewati tenggat."
        return CheckResult("fail", detail, "supervision.follow_ups")
    return CheckResult("ok", "Tidak ada tindak lanjut supervisi yang melewati tenggat.")


# --- Province figures and weekly activity -------------------------------------------------


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def province_figures(regencies: Sequence[Regency]) -> list[Figure]:
    ids = [r.id for r in regencies]
    ppk, kecamatan = _ppk_reached(ids), _kecamatan_totals(ids)
    pps, desa = _pps_reached(ids), _desa_totals(ids)
    return [
        Figure(
            "supervision_coverage",
            "Cakupan supervisi dan pendampingan: PPK dan PPS yang dijangkau",
            [r.name for r in regencies],
            [
                Series("PPK", [_percent(ppk.get(i, 0), kecamatan.get(i, 0)) for i in ids]),
                Series("PPS", [_percent(pps.get(i, 0), desa.get(i, 0)) for i in ids]),
            ],
            unit="%",
            order=20,
        )
    ]


def weekly_activity(regencies: Sequence[Regency], start: date, end: date) -> list[WeeklyActivity]:
    """Activities per regency and week of their first day, in one query."""
    rows = (
        db.session.execute(
            select(Activity.regency_id, Activity.started_on, func.count(Activity.id))
            .where(
                Activity.regency_id.in_([r.id for r in regencies]),
                Activity.started_on >= start,
                Activity.started_on <= end,
            )
            .group_by(Activity.regency_id, Activity.started_on)
        )
        .tuples()
        .all()
    )
    counts: dict[tuple[int, date], int] = defaultdict(int)
    for regency_id, day, number in rows:
        counts[(regency_id, day - timedelta(days=day.weekday()))] += number
    return [WeeklyActivity(LABEL, dict(counts))]
