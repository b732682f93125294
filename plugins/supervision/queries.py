"""The SELECTs of the lists of activities and of follow-ups, from their
filters (``filters.py``).

A page costs a fixed number of queries whatever the number of activities:
the count, the page of activities, and one query per relationship shown
(bodies, their places, members, findings, follow-ups) for the whole page."""

from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, select
from sqlalchemy.orm import selectinload

from plugins.supervision.filters import ActivityFilters, ActivityStatus, FollowUpFilters
from plugins.supervision.models import (
    Activity,
    ActivityMember,
    Body,
    FollowUp,
    FollowUpState,
    FollowUpStatus,
)


def _open_follow_up(today: date | None = None) -> Any:
    conditions = [FollowUp.activity_id == Activity.id, FollowUp.status == FollowUpStatus.OPEN]
    if today is not None:
        conditions.append(FollowUp.due_on < today)
    return exists().where(*conditions)


def _status_condition(status: ActivityStatus, today: date) -> Any:
    any_follow_up = exists().where(FollowUp.activity_id == Activity.id)
    if status is ActivityStatus.OVERDUE:
        return _open_follow_up(today)
    if status is ActivityStatus.OPEN:
        return _open_follow_up()
    if status is ActivityStatus.DONE:
        return and_(any_follow_up, ~_open_follow_up())
    return ~any_follow_up


def filtered_activities(regency_id: int, filters: ActivityFilters, today: date) -> Select:
    """The activities the filters select, newest first."""
    values = filters.values
    statement = select(Activity).where(Activity.regency_id == regency_id)
    if values["kind"]:
        statement = statement.where(Activity.kind == values["kind"])
    body_conditions = []
    if values["level"]:
        body_conditions.append(Body.level == values["level"])
    if values["kecamatan_id"]:
        body_conditions.append(Body.kecamatan_id == values["kecamatan_id"])
    if body_conditions:
        statement = statement.where(
            exists().where(Body.activity_id == Activity.id, *body_conditions)
        )
    if values["status"]:
        statement = statement.where(_status_condition(values["status"], today))
    if values["date_from"]:
        statement = statement.where(Activity.ended_on >= values["date_from"])
    if values["date_to"]:
        statement = statement.where(Activity.started_on <= values["date_to"])
    if values["member_id"]:
        statement = statement.where(
            exists().where(
                ActivityMember.activity_id == Activity.id,
                ActivityMember.team_member_id == values["member_id"],
            )
        )
    return statement.order_by(Activity.started_on.desc(), Activity.id.desc())


def with_details(statement: Select) -> Select:
    """Load what a row shows, one query per relationship for all rows."""
    return statement.options(
        selectinload(Activity.bodies).options(
            selectinload(Body.kecamatan), selectinload(Body.desa), selectinload(Body.tps)
        ),
        selectinload(Activity.members).selectinload(ActivityMember.team_member),
        selectinload(Activity.findings),
        selectinload(Activity.follow_ups).selectinload(FollowUp.owner),
    )


def _state_condition(state: FollowUpState, today: date) -> Any:
    if state is FollowUpState.DONE:
        return FollowUp.status == FollowUpStatus.DONE
    if state is FollowUpState.OPEN:
        return and_(FollowUp.status == FollowUpStatus.OPEN, FollowUp.due_on >= today)
    return and_(FollowUp.status == FollowUpStatus.OPEN, FollowUp.due_on < today)


def filtered_follow_ups(regency_id: int, filters: FollowUpFilters, today: date) -> Select:
    """The follow-ups the filters select: overdue and open first, by due date."""
    values = filters.values
    statement = (
        select(FollowUp)
        .join(Activity, Activity.id == FollowUp.activity_id)
        .where(FollowUp.regency_id == regency_id)
    )
    if values["status"]:
        statement = statement.where(_state_condition(values["status"], today))
    if values["kind"]:
        statement = statement.where(Activity.kind == values["kind"])
    if values["owner_id"]:
        statement = statement.where(FollowUp.owner_id == values["owner_id"])
    if values["due_from"]:
        statement = statement.where(FollowUp.due_on >= values["due_from"])
    if values["due_to"]:
        statement = statement.where(FollowUp.due_on <= values["due_to"])
    done_last = FollowUp.status == FollowUpStatus.DONE
    return statement.order_by(done_last, FollowUp.due_on, FollowUp.id).options(
        selectinload(FollowUp.activity),
        selectinload(FollowUp.owner),
        selectinload(FollowUp.finding),
        selectinload(FollowUp.evidence_document),
    )
