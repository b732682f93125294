"""Reading and changing meetings, scoped the way each side may see them.

A regency sees its own meetings whole, and of a province meeting only what is
addressed to it: the meeting, its agenda and minutes, its decisions, and its
own invitation, attendees and action items. The province sees province
meetings whole. Lookups answer 404 for anything outside that scope exactly
as for ids that do not exist."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from phpnet.auth.models import User
from phpnet.extensions import db
from phpnet.regions.models import Regency
from phpnet.teams.models import current_team
from plugins.coordination.forms import Choices
from plugins.coordination.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendee,
    Decision,
    InvitedRegency,
    Level,
    Meeting,
    MeetingStatus,
)


def _one_or_404(statement: Any) -> Any:
    row = db.session.execute(statement).scalar_one_or_none()
    if row is None:
        abort(404)
    return row


def own_meeting_or_404(regency: Regency, meeting_id: int) -> Meeting:
    return _one_or_404(select(Meeting).filter_by(id=meeting_id, regency_id=regency.id))


def province_meeting_or_404(meeting_id: int) -> Meeting:
    return _one_or_404(
        select(Meeting).where(
            Meeting.id == meeting_id, Meeting.regency_id.is_(None), Meeting.level == Level.PROVINSI
        )
    )


def invitation_or_404(regency: Regency, meeting_id: int) -> InvitedRegency:
    """The regency's invitation to province meeting ``meeting_id``."""
    return _one_or_404(
        select(InvitedRegency).filter_by(meeting_id=meeting_id, regency_id=regency.id)
    )


def action_or_404(regency: Regency, action_id: int) -> ActionItem:
    """An action item addressed to the regency (its own or the province's)."""
    return _one_or_404(select(ActionItem).filter_by(id=action_id, regency_id=regency.id))


def child_or_404(model: Any, meeting: Meeting, child_id: int) -> Any:
    return _one_or_404(select(model).filter_by(id=child_id, meeting_id=meeting.id))


def invited_meeting_ids(regency_id: int) -> Any:
    return select(InvitedRegency.meeting_id).where(InvitedRegency.regency_id == regency_id)


def visible_to_regency(regency_id: int) -> Any:
    """Its own meetings and the province meetings it is invited to."""
    return or_(Meeting.regency_id == regency_id, Meeting.id.in_(invited_meeting_ids(regency_id)))


# --- Lists ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingFilters:
    level: Level | None = None
    status: MeetingStatus | None = None
    query: str = ""

    @classmethod
    def from_args(cls, args: Any) -> "MeetingFilters":
        level = args.get("tingkat", "")
        status = args.get("status", "")
        return cls(
            Level(level) if level in Level._value2member_map_ else None,
            MeetingStatus(status) if status in MeetingStatus._value2member_map_ else None,
            (args.get("q") or "").strip()[:100],
        )

    def args(self) -> dict[str, str]:
        values = {
            "tingkat": self.level.value if self.level else "",
            "status": self.status.value if self.status else "",
            "q": self.query,
        }
        return {key: value for key, value in values.items() if value}

    def conditions(self) -> list[Any]:
        conditions = []
        if self.level is not None:
            conditions.append(Meeting.level == self.level)
        if self.status is not None:
            conditions.append(Meeting.status == self.status)
        if self.query:
            conditions.append(
                or_(
                    Meeting.title.icontains(self.query, autoescape=True),
                    Meeting.venue.icontains(self.query, autoescape=True),
                )
            )
        return conditions


def regency_meetings(regency_id: int, filters: MeetingFilters) -> Any:
    return (
        select(Meeting)
        .where(visible_to_regency(regency_id), *filters.conditions())
        .order_by(Meeting.held_on.desc(), Meeting.starts_at.desc(), Meeting.id.desc())
    )


def province_meetings(filters: MeetingFilters) -> Any:
    return (
        select(Meeting)
        .where(Meeting.regency_id.is_(None), *filters.conditions())
        .order_by(Meeting.held_on.desc(), Meeting.starts_at.desc(), Meeting.id.desc())
    )


def open_action_counts(meeting_ids: Sequence[int], regency_id: int | None) -> dict[int, int]:
    """Open action items per meeting (the regency's own only, when given)."""
    if not meeting_ids:
        return {}
    conditions = [ActionItem.meeting_id.in_(meeting_ids), ActionItem.status != ActionStatus.DONE]
    if regency_id is not None:
        conditions.append(ActionItem.regency_id == regency_id)
    rows = db.session.execute(
        select(ActionItem.meeting_id, func.count())
        .where(*conditions)
        .group_by(ActionItem.meeting_id)
    ).tuples()
    return dict(rows.all())


# --- Creating and changing ------------------------------------------------------------


def create_meeting(values: dict[str, Any], regency: Regency | None, user: User) -> Meeting:
    meeting = Meeting(
        **values,
        regency_id=regency.id if regency is not None else None,
        level=Level.KABKOTA if regency is not None else Level.PROVINSI,
        created_by_id=user.id,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def set_invited_regencies(meeting: Meeting, regency_ids: set[int]) -> None:
    """Invite exactly ``regency_ids``. An uninvited regency loses its
    invitation only while it has neither confirmed nor got action items:
    what it already did stays attached to the meeting."""
    current = {
        row.regency_id: row
        for row in db.session.execute(
            select(InvitedRegency).filter_by(meeting_id=meeting.id)
        ).scalars()
    }
    for regency_id in regency_ids - current.keys():
        db.session.add(InvitedRegency(meeting_id=meeting.id, regency_id=regency_id))
    busy = set(
        db.session.execute(
            select(ActionItem.regency_id).filter_by(meeting_id=meeting.id).distinct()
        ).scalars()
    ) | set(
        db.session.execute(
            select(Attendee.regency_id)
            .where(Attendee.meeting_id == meeting.id, Attendee.regency_id.is_not(None))
            .distinct()
        ).scalars()
    )
    for regency_id, row in current.items():
        if regency_id not in regency_ids and row.confirmed_at is None and regency_id not in busy:
            db.session.delete(row)


def add_agenda_item(meeting: Meeting, title: str) -> AgendaItem:
    last = db.session.execute(
        select(func.max(AgendaItem.position)).filter_by(meeting_id=meeting.id)
    ).scalar_one()
    item = AgendaItem(
        meeting_id=meeting.id, regency_id=meeting.regency_id, position=(last or 0) + 1, title=title
    )
    db.session.add(item)
    return item


def agenda_of(meeting: Meeting) -> list[AgendaItem]:
    return list(
        db.session.execute(
            select(AgendaItem).filter_by(meeting_id=meeting.id).order_by(AgendaItem.position)
        ).scalars()
    )


def remove_agenda_item(meeting: Meeting, item: AgendaItem) -> None:
    db.session.delete(item)
    db.session.flush()
    _renumber(agenda_of(meeting))


def move_agenda_item(meeting: Meeting, item: AgendaItem, up: bool) -> None:
    items = agenda_of(meeting)
    index = items.index(item)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        _renumber(items)


def _renumber(items: list[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position


def member_choices(regency_id: int) -> Choices:
    team = current_team(regency_id)
    if team is None:
        return []
    return [(m.id, f"{m.name} ({m.position.label})") for m in team.members]


def decisions_of(meeting: Meeting, regency_id: int | None = None) -> list[Decision]:
    """The meeting's decisions with their action items loaded; for an invited
    regency (``regency_id``) only its own action items are kept."""
    decisions = list(
        db.session.execute(
            select(Decision)
            .options(
                selectinload(Decision.actions).selectinload(ActionItem.owner_member),
                selectinload(Decision.actions).selectinload(ActionItem.evidence_document),
                selectinload(Decision.agenda_item),
            )
            .filter_by(meeting_id=meeting.id)
            .order_by(Decision.id)
        ).scalars()
    )
    if regency_id is None:
        return decisions
    return [
        ScopedDecision(d, [a for a in d.actions if a.regency_id == regency_id]) for d in decisions
    ]


@dataclass(frozen=True)
class ScopedDecision:
    """A decision as an invited regency sees it: with its own action items only."""

    decision: Decision
    actions: list[ActionItem]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.decision, name)


def attendees_of(
    meeting: Meeting, regency_id: int | None = None, *, all_sides: bool = False
) -> list:
    conditions = [Attendee.meeting_id == meeting.id]
    if not all_sides:
        conditions.append(
            Attendee.regency_id.is_(None)
            if regency_id is None
            else Attendee.regency_id == regency_id
        )
    return list(
        db.session.execute(
            select(Attendee)
            .where(*conditions)
            .order_by(Attendee.regency_id.is_not(None), Attendee.regency_id, Attendee.id)
        ).scalars()
    )


# --- The province's view of one meeting -------------------------------------------------


@dataclass(frozen=True)
class RegencyLine:
    regency: Regency
    invited: bool
    confirmed_at: Any
    attendees: int
    present: int
    actions: int
    actions_done: int


def regency_lines(meeting: Meeting, regencies: Sequence[Regency]) -> list[RegencyLine]:
    """Invitation, confirmation, attendance and action items of every regency
    for one province meeting, in three grouped queries."""
    invited = {
        row.regency_id: row
        for row in db.session.execute(
            select(InvitedRegency).filter_by(meeting_id=meeting.id)
        ).scalars()
    }
    people = {
        regency_id: (total, present)
        for regency_id, total, present in db.session.execute(
            select(
                Attendee.regency_id,
                func.count(),
                func.sum(case((Attendee.present.is_(True), 1), else_=0)),
            )
            .where(Attendee.meeting_id == meeting.id, Attendee.regency_id.is_not(None))
            .group_by(Attendee.regency_id)
        ).tuples()
    }
    actions = {
        regency_id: (total, done)
        for regency_id, total, done in db.session.execute(
            select(
                ActionItem.regency_id,
                func.count(),
                func.sum(case((ActionItem.status == ActionStatus.DONE, 1), else_=0)),
            )
            .where(ActionItem.meeting_id == meeting.id)
            .group_by(ActionItem.regency_id)
        ).tuples()
    }
    return [
        RegencyLine(
            r,
            r.id in invited,
            invited[r.id].confirmed_at if r.id in invited else None,
            people.get(r.id, (0, 0))[0],
            int(people.get(r.id, (0, 0))[1] or 0),
            actions.get(r.id, (0, 0))[0],
            int(actions.get(r.id, (0, 0))[1] or 0),
        )
        for r in regencies
    ]


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    overdue: int


def decision_progress(meeting: Meeting, today: date) -> dict[int, Progress]:
    """Per decision: action items, how many are done and how many overdue."""
    rows = db.session.execute(
        select(
            ActionItem.decision_id,
            func.count(),
            func.sum(case((ActionItem.status == ActionStatus.DONE, 1), else_=0)),
            func.sum(
                case(
                    ((ActionItem.status != ActionStatus.DONE) & (ActionItem.due_on < today), 1),
                    else_=0,
                )
            ),
        )
        .where(ActionItem.meeting_id == meeting.id)
        .group_by(ActionItem.decision_id)
    ).tuples()
    return {d: Progress(total, int(done or 0), int(late or 0)) for d, total, done, late in rows}


def active_regencies() -> list[Regency]:
    return list(
        db.session.execute(
            select(Regency).where(Regency.is_active.is_(True)).order_by(Regency.code)
        ).scalars()
    )


def invited_regencies(meeting: Meeting) -> list[Regency]:
    return list(
        db.session.execute(
            select(Regency)
            .join(InvitedRegency, InvitedRegency.regency_id == Regency.id)
            .where(InvitedRegency.meeting_id == meeting.id)
            .order_by(Regency.code)
        ).scalars()
    )
