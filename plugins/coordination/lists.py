"""The plugin's lists and what narrows them, read from the URL: a regency's
meetings (its own and the province meetings it is invited to), the
province's meetings, and a regency's action items (its own and the
province's addressed to it). A filter value that makes no sense stays in its
field with why, and the list is filtered by the others."""

from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from phpnet.plugin_api import EnumFilter, LabelledEnum, ListFilters, SearchFilter
from plugins.coordination.meetings import visible_to_regency
from plugins.coordination.models import ActionItem, ActionStatus, Level, Meeting, MeetingStatus

SEARCH_AS_YOU_TYPE = {"type": "search", "hx-trigger": "input changed delay:300ms, search"}


def level_choices(regency_name: str) -> list[tuple[str, str]]:
    """The levels as a regency knows them: its own rakor, or the province's."""
    return [
        ("", "Semua"),
        (Level.KABKOTA.value, f"Rakor {regency_name}"),
        (Level.PROVINSI.value, "Rakor KPU Provinsi"),
    ]


class ProvinceMeetingFilters(ListFilters):
    """The province's meetings: by words of the title or venue, and status."""

    q = SearchFilter("Cari judul atau tempat", id="filter-q", render_kw={"type": "search"})
    status = EnumFilter(MeetingStatus, "Status", id="filter-status")

    def conditions(self) -> list[Any]:
        values = self.values
        conditions = []
        if values["status"] is not None:
            conditions.append(Meeting.status == values["status"])
        if values["q"]:
            conditions.append(
                or_(
                    Meeting.title.icontains(values["q"], autoescape=True),
                    Meeting.venue.icontains(values["q"], autoescape=True),
                )
            )
        return conditions


class MeetingFilters(ProvinceMeetingFilters):
    """A regency's meetings: also by level (its own, or the province's)."""

    tingkat = EnumFilter(Level, "Tingkat", id="filter-level")

    def conditions(self) -> list[Any]:
        level = self.values["tingkat"]
        return [*super().conditions(), *([Meeting.level == level] if level else [])]

    def for_regency(self, regency_name: str, url: str) -> "MeetingFilters":
        """Name the levels after the regency; the search asks ``url`` as you type."""
        self.tingkat.choices = level_choices(regency_name)
        self.q.render_kw = {**SEARCH_AS_YOU_TYPE, "hx-get": url, "hx-include": "closest form"}
        return self


def regency_meetings(regency_id: int, filters: MeetingFilters) -> Select[Any]:
    return (
        select(Meeting)
        .where(visible_to_regency(regency_id), *filters.conditions())
        .order_by(Meeting.held_on.desc(), Meeting.starts_at.desc(), Meeting.id.desc())
    )


def province_meetings(filters: ProvinceMeetingFilters) -> Select[Any]:
    return (
        select(Meeting)
        .where(Meeting.regency_id.is_(None), *filters.conditions())
        .order_by(Meeting.held_on.desc(), Meeting.starts_at.desc(), Meeting.id.desc())
    )


class ActionState(LabelledEnum):
    """What the action list shows: the items of one status, or those overdue."""

    OPEN = ActionStatus.OPEN.value, ActionStatus.OPEN.label
    IN_PROGRESS = ActionStatus.IN_PROGRESS.value, ActionStatus.IN_PROGRESS.label
    DONE = ActionStatus.DONE.value, ActionStatus.DONE.label
    OVERDUE = "terlambat", "Melewati batas waktu"


class ActionFilters(ListFilters):
    status = EnumFilter(ActionState, "Status", id="filter-status")
    tingkat = EnumFilter(Level, "Rapat", id="filter-level")

    def for_regency(self, regency_name: str) -> "ActionFilters":
        self.tingkat.choices = level_choices(regency_name)
        return self


def action_items(regency_id: int, filters: ActionFilters, today: date) -> Select[Any]:
    """Open items first, then by due date."""
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
    state, level = filters.values["status"], filters.values["tingkat"]
    if state is ActionState.OVERDUE:
        statement = statement.where(
            ActionItem.status != ActionStatus.DONE, ActionItem.due_on < today
        )
    elif state is not None:
        statement = statement.where(ActionItem.status == ActionStatus(state.value))
    if level is not None:
        statement = statement.where(Meeting.level == level)
    return statement
