"""Changing meetings: creating one, inviting the regencies of a province
meeting, keeping the agenda in order, and giving a decision its action
items. The views commit."""

from typing import Any

from sqlalchemy import func, select

from phpnet.plugin_api import Regency, User, db
from plugins.coordination.meetings import agenda_of
from plugins.coordination.models import (
    ActionItem,
    AgendaItem,
    Attendee,
    Decision,
    InvitedRegency,
    Level,
    Meeting,
)


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


def add_actions(
    decision: Decision, text: str, due_on: Any, owners: list[tuple[int, int | None]]
) -> int:
    """One action item per owner: (the regency it is addressed to, the team
    member of that regency who carries it out, if named)."""
    for regency_id, member_id in owners:
        decision.actions.append(
            ActionItem(
                meeting_id=decision.meeting_id,
                regency_id=regency_id,
                description=text,
                owner_member_id=member_id,
                due_on=due_on,
            )
        )
    return len(owners)
