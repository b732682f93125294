"""Reading meetings, scoped the way each side may see them.

A regency sees its own meetings whole, and of a province meeting only what is
addressed to it: the meeting, its agenda and minutes, its decisions, and its
own invitation, attendees and action items. The province sees province
meetings whole. Lookups answer 404 for anything outside that scope exactly
as for ids that do not exist."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from phpnet.plugin_api import Regency, current_team, db
from plugins.coordination.forms import Choices
from plugins.coordination.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendee,
    Decision,
    InvitedBody,
    InvitedRegency,
    Level,
    Meeting,
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


def confirmations(regency_id: int, meeting_ids: Sequence[int]) -> dict[int, bool]:
    """Per province meeting: whether the regency confirmed who attends."""
    if not meeting_ids:
        return {}
    rows = db.session.execute(
        select(InvitedRegency.meeting_id, InvitedRegency.confirmed_at).where(
            InvitedRegency.regency_id == regency_id, InvitedRegency.meeting_id.in_(meeting_ids)
        )
    ).tuples()
    return {meeting_id: confirmed is not None for meeting_id, confirmed in rows}


def agenda_of(meeting: Meeting) -> list[AgendaItem]:
    return list(
        db.session.execute(
            select(AgendaItem).filter_by(meeting_id=meeting.id).order_by(AgendaItem.position)
        ).scalars()
    )


def bodies_of(meeting: Meeting, *, by_body: bool = False) -> list[InvitedBody]:
    """The ad hoc bodies invited to a regency's meeting, in the order they
    were invited (``by_body``: PPK, then PPS, then KPPS)."""
    order = (InvitedBody.body, InvitedBody.id) if by_body else (InvitedBody.id,)
    return list(
        db.session.execute(
            select(InvitedBody)
            .options(
                joinedload(InvitedBody.kecamatan),
                joinedload(InvitedBody.desa),
                joinedload(InvitedBody.tps),
            )
            .filter_by(meeting_id=meeting.id)
            .order_by(*order)
        ).scalars()
    )


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
) -> list[Attendee]:
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
