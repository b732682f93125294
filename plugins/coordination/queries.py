"""The action item list of a regency (its own and the province's addressed to
it), filtered in the URL: status, overdue, level of the meeting."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from plugins.coordination.models import ActionItem, ActionStatus, Level, Meeting

OVERDUE = "terlambat"


@dataclass(frozen=True)
class ActionFilters:
    status: str = ""  # an ActionStatus value, "terlambat" (overdue), or "" for all
    level: Level | None = None

    @classmethod
    def from_args(cls, args: Any) -> "ActionFilters":
        status = args.get("status", "")
        level = args.get("tingkat", "")
        known = status in ActionStatus._value2member_map_ or status == OVERDUE
        return cls(
            status if known else "",
            Level(level) if level in Level._value2member_map_ else None,
        )

    def args(self) -> dict[str, str]:
        values = {"status": self.status, "tingkat": self.level.value if self.level else ""}
        return {key: value for key, value in values.items() if value}


def action_items(regency_id: int, filters: ActionFilters, today: date) -> Any:
    """Overdue items first, then by due date."""
    statement = (
        select(ActionItem)
        .join(Meeting, Meeting.id == ActionItem.meeting_id)
        .options(
            joinedload(ActionItem.meeting),
            joinedload(ActionItem.owner_member),
            joinedload(ActionItem.decision),
            joinedload(ActionItem.evidence_document),
        )
        .where(ActionItem.regency_id == regency_id)
        .order_by((ActionItem.status == ActionStatus.DONE), ActionItem.due_on, ActionItem.id)
    )
    if filters.status == OVERDUE:
        statement = statement.where(
            ActionItem.status != ActionStatus.DONE, ActionItem.due_on < today
        )
    elif filters.status:
        statement = statement.where(ActionItem.status == ActionStatus(filters.status))
    if filters.level is not None:
        statement = statement.where(Meeting.level == filters.level)
    return statement
