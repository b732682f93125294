"""Figures of the supervision plugin: coverage of the kecamatan (PPK) and
desa (PPS), the dashboard card, the readiness checks the province watches,
search, the core CSV exports, and the province's charts.

Everything about many regencies is answered with grouped queries, a fixed
number whatever the number of regencies."""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import distinct, func, or_, select

from phpnet.contrib import CheckResult, Figure, SearchResult, Series, WeeklyActivity
from phpnet.extensions import db
from phpnet.regions.models import Desa, Kecamatan, Regency
from phpnet.teams.models import TeamMember
from plugins.supervision import clock
from plugins.supervision.blueprint import LABEL
from plugins.supervision.models import (
    Activity,
    Body,
    BodyLevel,
    Finding,
    FollowUp,
    FollowUpStatus,
    Kind,
)
from plugins.supervision.queries import ActivityFilters, filtered_activities, with_details

# --- Coverage of one regency --------------------------------------------------------------


@dataclass
class KecamatanCoverage:
    id: int
    name: str
    desa_total: int
    ppk_kinds: set[Kind] = field(default_factory=set)
    pps_reached: int = 0
    pps_kinds: set[Kind] = field(default_factory=set)
    kpps_reached: int = 0

    @property
    def ppk_reached(self) -> bool:
        return bool(self.ppk_kinds)

    @property
    def state(self) -> str:
        """ "full": PPK and every PPS; "partial": something; "none": nothing."""
        if self.ppk_reached and self.pps_reached >= self.desa_total:
            return "full"
        if self.ppk_reached or self.pps_reached or self.kpps_reached:
            return "partial"
        return "none"


@dataclass(frozen=True)
class Coverage:
    kecamatan: list[KecamatanCoverage]

    @property
    def ppk_reached(self) -> int:
        return sum(1 for k in self.kecamatan if k.ppk_reached)

    @property
    def pps_reached(self) -> int:
        return sum(k.pps_reached for k in self.kecamatan)

    @property
    def desa_total(self) -> int:
        return sum(k.desa_total for k in self.kecamatan)

    @property
    def uncovered(self) -> list[KecamatanCoverage]:
        return [k for k in self.kecamatan if k.state == "none"]


def coverage(regency_id: int) -> Coverage:
    """Per kecamatan: the kinds of activity that reached its PPK, how many of
    its desa (PPS) were reached and by which kinds, and its KPPS reached."""
    rows = (
        db.session.execute(
            select(Kecamatan.id, Kecamatan.name, func.count(Desa.id))
            .outerjoin(Desa, Desa.kecamatan_id == Kecamatan.id)
            .where(Kecamatan.regency_id == regency_id)
            .group_by(Kecamatan.id, Kecamatan.name)
            .order_by(Kecamatan.name)
        )
        .tuples()
        .all()
    )
    found = {i: KecamatanCoverage(i, name, total) for i, name, total in rows}
    kinds = (
        db.session.execute(
            select(Body.kecamatan_id, Body.level, Activity.kind)
            .join(Activity, Activity.id == Body.activity_id)
            .where(Body.regency_id == regency_id)
            .distinct()
        )
        .tuples()
        .all()
    )
    for kecamatan_id, level, kind in kinds:
        target = found[kecamatan_id]
        if level is BodyLevel.PPK:
            target.ppk_kinds.add(kind)
        elif level is BodyLevel.PPS:
            target.pps_kinds.add(kind)
    reached = (
        db.session.execute(
            select(
                Body.kecamatan_id,
                Body.level,
                func.count(distinct(func.coalesce(Body.tps_id, Body.desa_id))),
            )
            .where(Body.regency_id == regency_id, Body.level != BodyLevel.PPK)
            .group_by(Body.kecamatan_id, Body.level)
        )
        .tuples()
        .all()
    )
    for kecamatan_id, level, number in reached:
        if level is BodyLevel.PPS:
            found[kecamatan_id].pps_reached = number
        else:
            found[kecamatan_id].kpps_reached = number
    return Coverage(list(found.values()))


@dataclass(frozen=True)
class DesaCoverage:
    id: int
    name: str
    kinds: set[Kind]
    kpps_reached: int


def desa_coverage(regency_id: int, kecamatan_id: int) -> list[DesaCoverage]:
    """The desa of one kecamatan, with the kinds that reached their PPS."""
    desa = (
        db.session.execute(
            select(Desa.id, Desa.kind, Desa.name)
            .where(Desa.regency_id == regency_id, Desa.kecamatan_id == kecamatan_id)
            .order_by(Desa.name)
        )
        .tuples()
        .all()
    )
    kinds: dict[int, set[Kind]] = defaultdict(set)
    kpps: dict[int, set[int]] = defaultdict(set)
    reached = (
        db.session.execute(
            select(Body.desa_id, Body.level, Body.tps_id, Activity.kind)
            .join(Activity, Activity.id == Body.activity_id)
            .where(
                Body.regency_id == regency_id,
                Body.kecamatan_id == kecamatan_id,
                Body.level != BodyLevel.PPK,
            )
        )
        .tuples()
        .all()
    )
    for desa_id, level, tps_id, kind in reached:
        if level is BodyLevel.PPS:
            kinds[desa_id].add(kind)
        else:
            kpps[desa_id].add(tps_id)
    return [
        DesaCoverage(i, f"{kind.capitalize()} {name}", kinds[i], len(kpps[i]))
        for i, kind, name in desa
    ]


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
    overdue = _overdue_per_regency([r.id for r in regencies], clock.today())
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


# --- Search and exports -------------------------------------------------------------------


def search(regency_id: int, query: str, limit: int) -> list[SearchResult]:
    with_finding = select(Finding.activity_id).where(
        Finding.regency_id == regency_id, Finding.description.icontains(query, autoescape=True)
    )
    in_kecamatan = (
        select(Body.activity_id)
        .join(Kecamatan, Kecamatan.id == Body.kecamatan_id)
        .where(Body.regency_id == regency_id, Kecamatan.name.icontains(query, autoescape=True))
    )
    activities = db.session.execute(
        select(Activity)
        .where(
            Activity.regency_id == regency_id,
            or_(
                Activity.purpose.icontains(query, autoescape=True),
                Activity.recommendations.icontains(query, autoescape=True),
                Activity.id.in_(with_finding),
                Activity.id.in_(in_kecamatan),
            ),
        )
        .order_by(Activity.started_on.desc(), Activity.id.desc())
        .limit(limit)
    ).scalars()
    return [
        SearchResult(
            f"{activity.kind.label}: {activity.purpose[:80]}",
            url_for("supervision.activity", activity_id=activity.id),
            activity.started_on.strftime("%d-%m-%Y"),
            activity.kind.label,
        )
        for activity in activities
    ]


ACTIVITY_COLUMNS = (
    "Nomor kegiatan", "Jenis", "Tanggal mulai", "Tanggal selesai", "Lembaga", "Tim",
    "Maksud dan tujuan", "Jumlah temuan", "Rekomendasi",
)  # fmt: skip
FOLLOW_UP_COLUMNS = (
    "Nomor", "Nomor kegiatan", "Jenis kegiatan", "Tindak lanjut", "Penanggung jawab",
    "Tenggat", "Status", "Tanggal selesai", "Keterangan",
)  # fmt: skip


def export_activities(regency: Regency) -> Iterator[Sequence[object]]:
    statement = with_details(filtered_activities(regency.id, ActivityFilters(), clock.today()))
    for activity in db.session.execute(statement).scalars():
        yield (
            activity.id, activity.kind.label, activity.started_on.isoformat(),
            activity.ended_on.isoformat(), "; ".join(b.label for b in activity.bodies),
            "; ".join(m.team_member.name for m in activity.members), activity.purpose,
            len(activity.findings), activity.recommendations or "",
        )  # fmt: skip


def export_follow_ups(regency: Regency) -> Iterator[Sequence[object]]:
    today = clock.today()
    rows = (
        db.session.execute(
            select(FollowUp, Activity.kind, TeamMember.name)
            .join(Activity, Activity.id == FollowUp.activity_id)
            .outerjoin(TeamMember, TeamMember.id == FollowUp.owner_id)
            .where(FollowUp.regency_id == regency.id)
            .order_by(FollowUp.due_on, FollowUp.id)
        )
        .tuples()
        .all()
    )
    for follow_up, kind, owner in rows:
        state = "Terlambat" if follow_up.is_overdue(today) else follow_up.status.label
        yield (
            follow_up.id, follow_up.activity_id, kind.label, follow_up.action, owner or "",
            follow_up.due_on.isoformat(), state,
            follow_up.done_on.isoformat() if follow_up.done_on else "", follow_up.done_note or "",
        )  # fmt: skip
