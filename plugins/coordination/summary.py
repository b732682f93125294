"""Figures about coordination for the dashboard card, the readiness checks the
province watches (each judging many regencies with one grouped query),
search, the core exports, the province's charts and weekly activity."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import joinedload

from phpnet.plugin_api import (
    CheckResult,
    Figure,
    Regency,
    SearchResult,
    Series,
    WeeklyActivity,
    db,
    today_wib,
)
from plugins.coordination.meetings import visible_to_regency
from plugins.coordination.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendee,
    InvitedBody,
    InvitedRegency,
    Meeting,
    MeetingStatus,
)
from plugins.coordination.outputs import owner_name

SOON_DAYS = 7  # an open item due within a week, or a province meeting within a week


def meeting_url(meeting: Meeting) -> str:
    if meeting.regency_id is None:
        return url_for("coordination.invited_meeting", rakor_id=meeting.id)
    return url_for("coordination.view_meeting", meeting_id=meeting.id)


# --- The dashboard card -----------------------------------------------------------------


@dataclass(frozen=True)
class CardFigures:
    next_meeting: Meeting | None
    next_url: str | None
    open_actions: int
    overdue_actions: int


def card_figures(regency_id: int, today: date) -> CardFigures:
    upcoming = db.session.execute(
        select(Meeting)
        .where(
            visible_to_regency(regency_id),
            Meeting.held_on >= today,
            Meeting.status == MeetingStatus.SCHEDULED,
        )
        .order_by(Meeting.held_on, Meeting.starts_at)
        .limit(1)
    ).scalar_one_or_none()
    open_count, overdue = db.session.execute(
        select(
            func.count(), func.coalesce(func.sum(case((ActionItem.due_on < today, 1), else_=0)), 0)
        ).where(ActionItem.regency_id == regency_id, ActionItem.status != ActionStatus.DONE)
    ).one()
    return CardFigures(
        upcoming, meeting_url(upcoming) if upcoming else None, open_count, int(overdue)
    )


# --- Readiness checks ----------------------------------------------------------------------


def _ids(regencies: Sequence[Regency]) -> list[int]:
    return [r.id for r in regencies]


def check_rakor_held(regencies: Sequence[Regency]) -> dict[int, CheckResult]:
    """A rakor with the ad hoc bodies took place (ok), is only scheduled (warn), or neither."""
    with_bodies = exists().where(InvitedBody.meeting_id == Meeting.id)
    rows = db.session.execute(
        select(
            Meeting.regency_id,
            func.sum(case((Meeting.status == MeetingStatus.HELD, 1), else_=0)),
            func.sum(case((Meeting.status == MeetingStatus.SCHEDULED, 1), else_=0)),
        )
        .where(Meeting.regency_id.in_(_ids(regencies)), with_bodies)
        .group_by(Meeting.regency_id)
    ).tuples()
    counts = {regency_id: (int(held or 0), int(planned or 0)) for regency_id, held, planned in rows}
    return {r.id: _held(*counts.get(r.id, (0, 0))) for r in regencies}


def _held(held: int, planned: int) -> CheckResult:
    if held:
        return CheckResult("ok", f"{held} rakor dengan PPK/PPS/KPPS terlaksana.")
    if planned:
        return CheckResult(
            "warn", "Rakor dengan badan ad hoc baru dijadwalkan.", "coordination.index"
        )
    return CheckResult("fail", "Belum ada rakor dengan PPK/PPS/KPPS.", "coordination.new_meeting")


def check_no_overdue(regencies: Sequence[Regency]) -> dict[int, CheckResult]:
    today = today_wib()
    rows = db.session.execute(
        select(
            ActionItem.regency_id,
            func.sum(case((ActionItem.due_on < today, 1), else_=0)),
            func.sum(case((ActionItem.due_on < today + timedelta(days=SOON_DAYS), 1), else_=0)),
        )
        .where(ActionItem.regency_id.in_(_ids(regencies)), ActionItem.status != ActionStatus.DONE)
        .group_by(ActionItem.regency_id)
    ).tuples()
    counts = {regency_id: (int(late or 0), int(soon or 0)) for regency_id, late, soon in rows}
    return {r.id: _overdue(*counts.get(r.id, (0, 0))) for r in regencies}


def _overdue(late: int, soon: int) -> CheckResult:
    if late:
        return CheckResult(
            "fail", f"{late} tindak lanjut rakor melewati batas waktu.", "coordination.actions"
        )
    if soon:
        return CheckResult(
            "warn",
            f"{soon} tindak lanjut jatuh tempo dalam {SOON_DAYS} hari.",
            "coordination.actions",
        )
    return CheckResult("ok", "Tidak ada tindak lanjut rakor yang terlambat.")


def check_attendance_confirmed(regencies: Sequence[Regency]) -> dict[int, CheckResult]:
    """For the next province meeting each regency is invited to: confirmed (ok),
    not yet (warn; fail within a week of the meeting). No invitation is ok."""
    today = today_wib()
    rows = db.session.execute(
        select(
            InvitedRegency.regency_id, InvitedRegency.confirmed_at, Meeting.held_on, Meeting.title
        )
        .join(Meeting, Meeting.id == InvitedRegency.meeting_id)
        .where(
            InvitedRegency.regency_id.in_(_ids(regencies)),
            Meeting.held_on >= today,
            Meeting.status == MeetingStatus.SCHEDULED,
        )
        .order_by(InvitedRegency.regency_id, Meeting.held_on, Meeting.starts_at, Meeting.id)
    ).tuples()
    next_one: dict[int, tuple[object, date, str]] = {}
    for regency_id, confirmed_at, held_on, title in rows:
        next_one.setdefault(regency_id, (confirmed_at, held_on, title))
    return {r.id: _confirmed(next_one.get(r.id), today) for r in regencies}


def _confirmed(upcoming: tuple[object, date, str] | None, today: date) -> CheckResult:
    if upcoming is None:
        return CheckResult("ok", "Tidak ada undangan rakor provinsi yang akan datang.")
    confirmed_at, held_on, title = upcoming
    if confirmed_at is not None:
        return CheckResult("ok", f"Kehadiran pada “{title}” sudah dikonfirmasi.")
    status = "fail" if held_on <= today + timedelta(days=SOON_DAYS) else "warn"
    return CheckResult(
        status, f"Kehadiran pada “{title}” belum dikonfirmasi.", "coordination.index"
    )


# --- Search and exports ----------------------------------------------------------------------


def search(regency_id: int, query: str, limit: int) -> list[SearchResult]:
    in_agenda = exists().where(
        AgendaItem.meeting_id == Meeting.id,
        or_(
            AgendaItem.title.icontains(query, autoescape=True),
            AgendaItem.minutes.icontains(query, autoescape=True),
        ),
    )
    found = db.session.execute(
        select(Meeting)
        .where(
            visible_to_regency(regency_id),
            or_(
                Meeting.title.icontains(query, autoescape=True),
                Meeting.venue.icontains(query, autoescape=True),
                Meeting.invitation_number.icontains(query, autoescape=True),
                in_agenda,
            ),
        )
        .order_by(Meeting.held_on.desc())
        .limit(limit)
    ).scalars()
    return [
        SearchResult(m.title, meeting_url(m), f"{m.held_on:%d-%m-%Y}, {m.venue}", m.level.label)
        for m in found
    ]


MEETING_COLUMNS = (
    "Nomor rapat",
    "Tingkat",
    "Judul",
    "Tanggal",
    "Jam mulai",
    "Tempat",
    "Status",
    "Nomor undangan",
)


def meeting_rows(regency: Regency) -> Iterator[Sequence[object]]:
    rows = db.session.execute(
        select(Meeting).where(visible_to_regency(regency.id)).order_by(Meeting.held_on, Meeting.id)
    ).scalars()
    for m in rows:
        yield (
            m.id, m.level.label, m.title, m.held_on.isoformat(), m.starts_at,
            m.venue, m.status.label, m.invitation_number or "",
        )  # fmt: skip


ACTION_COLUMNS = (
    "Nomor",
    "Rapat",
    "Tindak lanjut",
    "Penanggung jawab",
    "Batas waktu",
    "Status",
    "Tanggal selesai",
)


def action_rows(regency: Regency) -> Iterator[Sequence[object]]:
    rows = db.session.execute(
        select(ActionItem)
        .options(
            joinedload(ActionItem.meeting),
            joinedload(ActionItem.owner_member),
            joinedload(ActionItem.regency),
        )
        .filter_by(regency_id=regency.id)
        .order_by(ActionItem.due_on, ActionItem.id)
    ).scalars()
    for item in rows:
        yield (
            item.id, item.meeting.title, item.description, owner_name(item),
            item.due_on.isoformat(), item.status.label,
            item.completed_on.isoformat() if item.completed_on else "",
        )  # fmt: skip


# --- The province's dashboard --------------------------------------------------------------


def province_figures(regencies: Sequence[Regency]) -> list[Figure]:
    today = today_wib()
    done = ActionItem.status == ActionStatus.DONE
    rows = db.session.execute(
        select(
            ActionItem.regency_id,
            func.sum(case((done, 1), else_=0)),
            func.sum(case((and_(~done, ActionItem.due_on >= today), 1), else_=0)),
            func.sum(case((and_(~done, ActionItem.due_on < today), 1), else_=0)),
        )
        .where(ActionItem.regency_id.in_(_ids(regencies)))
        .group_by(ActionItem.regency_id)
    ).tuples()
    counts = {r: (int(a or 0), int(b or 0), int(c or 0)) for r, a, b, c in rows}
    per = [counts.get(r.id, (0, 0, 0)) for r in regencies]
    return [
        Figure(
            "coordination_actions",
            "Tindak lanjut rakor per kabupaten/kota",
            [r.name for r in regencies],
            [
                Series("Selesai", [c[0] for c in per]),
                Series("Belum selesai", [c[1] for c in per]),
                Series("Terlambat", [c[2] for c in per]),
            ],
            stacked=True,
            unit=" tindak lanjut",
            order=40,
        )
    ]


def weekly_activity(regencies: Sequence[Regency], start: date, end: date) -> list[WeeklyActivity]:
    """Meetings held per regency and week: its own rakor that took place, and
    province meetings where someone of the regency was present."""
    ids = _ids(regencies)
    own = select(
        Meeting.regency_id.label("regency_id"),
        Meeting.id.label("meeting"),
        Meeting.held_on.label("day"),
    ).where(
        Meeting.regency_id.in_(ids),
        Meeting.status == MeetingStatus.HELD,
        Meeting.held_on.between(start, end),
    )
    attended = (
        select(Attendee.regency_id, Meeting.id, Meeting.held_on)
        .join(Meeting, Meeting.id == Attendee.meeting_id)
        .where(
            Attendee.regency_id.in_(ids),
            Meeting.regency_id.is_(None),
            Attendee.present.is_(True),
            Meeting.held_on.between(start, end),
        )
        .distinct()
    )
    union = own.union_all(attended).subquery()
    rows = db.session.execute(
        select(union.c.regency_id, union.c.day, func.count()).group_by(
            union.c.regency_id, union.c.day
        )
    ).tuples()
    counts: dict[tuple[int, date], int] = {}
    for regency_id, day, number in rows:
        monday = day - timedelta(days=day.weekday())
        counts[(regency_id, monday)] = counts.get((regency_id, monday), 0) + number
    return [WeeklyActivity("Rapat koordinasi", counts)]
