"""How a meeting's follow-up stands: for the province, every regency's
invitation, confirmation, attendance and action items on one meeting; for
both sides, each decision's action items done and overdue."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, func, select

from phpnet.plugin_api import Regency, db
from plugins.coordination.models import ActionItem, ActionStatus, Attendee, InvitedRegency, Meeting


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
