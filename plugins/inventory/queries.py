"""Filtering, sorting and counting DIM entries for the list, the export and
the province view, from one :class:`~plugins.inventory.filters.EntryFilters`.

:func:`filtered_rows` is the SELECT of the current filtered list without
pagination, so the list pages it and the export streams it."""

import enum
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select

from phpnet.plugin_api import Desa, Kecamatan, Regency, TeamMember, Tps, db
from plugins.inventory.filters import EntryFilters, Sort
from plugins.inventory.models import Category, Entry, Evidence, Race, Stage, Status


def _enum_order(column: Any, enum_type: type[enum.Enum]) -> ColumnElement[int]:
    """Order by the enum's declared order (the order users know), not by its
    stored value."""
    return case({member.value: position for position, member in enumerate(enum_type)}, value=column)


def _name_of(model: Any, name: Any, key: Any) -> Any:
    """The name of the row ``key`` points at, as a scalar subquery: sorting by
    it needs no join that would clash with the list's eager loading."""
    return select(name).where(model.id == key).correlate(Entry).scalar_subquery()


def evidence_count() -> Any:
    """The number of evidence documents of each entry (indexed by entry_id)."""
    return (
        select(func.count(Evidence.id))
        .where(Evidence.entry_id == Entry.id)
        .correlate(Entry)
        .scalar_subquery()
    )


# Every sort key with its ORDER BY expressions.
SORTS: dict[Sort, tuple[Any, ...]] = {
    Sort.OCCURRED_AT: (Entry.occurred_at,),
    Sort.LOCATION: (
        _name_of(Kecamatan, Kecamatan.name, Entry.kecamatan_id),
        _name_of(Desa, Desa.name, Entry.desa_id),
        _name_of(Tps, Tps.number, Entry.tps_id),
    ),
    Sort.RACE: (_enum_order(Entry.race, Race),),
    Sort.STAGE: (_enum_order(Entry.stage, Stage),),
    Sort.CATEGORY: (_name_of(Category, Category.name, Entry.category_id),),
    Sort.STATUS: (_enum_order(Entry.status, Status),),
    Sort.PERSON: (_name_of(TeamMember, TeamMember.name, Entry.person_in_charge_id),),
    Sort.EVIDENCE: (evidence_count(),),
}
# Filters that are one column's value.
EQUAL = {
    "stage": Entry.stage,
    "category_id": Entry.category_id,
    "status": Entry.status,
    "race": Entry.race,
    "kecamatan_id": Entry.kecamatan_id,
    "desa_id": Entry.desa_id,
    "tps_id": Entry.tps_id,
    "person_id": Entry.person_in_charge_id,
}


def _search(regency_id: int, query: str) -> ColumnElement[bool]:
    """Free text over the entry's words and the names of its location.
    ``autoescape`` keeps % and _ typed by the user literal."""

    def like(column: Any) -> ColumnElement[bool]:
        return column.icontains(query, autoescape=True)

    kecamatan_ids = select(Kecamatan.id).where(
        Kecamatan.regency_id == regency_id, like(Kecamatan.name)
    )
    desa_ids = select(Desa.id).where(Desa.regency_id == regency_id, like(Desa.name))
    return or_(
        like(Entry.description),
        like(Entry.objector),
        like(Entry.record_form_number),
        like(Entry.bawaslu_letter_number),
        like(Entry.dapil),
        Entry.kecamatan_id.in_(kecamatan_ids),
        Entry.desa_id.in_(desa_ids),
    )


def _conditions(regency_id: int, filters: EntryFilters) -> list[ColumnElement[bool]]:
    values = filters.values
    conditions: list[ColumnElement[bool]] = [
        Entry.regency_id == regency_id,
        Entry.deleted_at.is_(None),
    ]
    conditions += [
        column == values[name] for name, column in EQUAL.items() if values[name] is not None
    ]
    # occurred_at is a local time without zone: whole days compare directly.
    if values["date_from"]:
        conditions.append(Entry.occurred_at >= datetime.combine(values["date_from"], time.min))
    if values["date_to"]:
        next_day = values["date_to"] + timedelta(days=1)
        conditions.append(Entry.occurred_at < datetime.combine(next_day, time.min))
    if values["q"]:
        conditions.append(_search(regency_id, values["q"]))
    return conditions


def list_order(filters: EntryFilters) -> list[ColumnElement[Any]]:
    """The ORDER BY of the chosen sort, ties broken by id so pages never
    overlap."""
    descending = filters.descending
    order = [key.desc() if descending else key.asc() for key in SORTS[filters.sort_key]]
    order.append(Entry.id.desc() if descending else Entry.id.asc())
    return order


def filtered_entries(regency_id: int, filters: EntryFilters) -> Select[tuple[Entry]]:
    """The regency's non-deleted entries matching ``filters``, in the chosen
    order, without pagination."""
    return filtered_rows(regency_id, filters, Entry)


def filtered_rows(regency_id: int, filters: EntryFilters, *columns: Any) -> Select[Any]:
    """:func:`filtered_entries` as plain rows of ``columns``."""
    return select(*columns).where(*_conditions(regency_id, filters)).order_by(*list_order(filters))


def page_ids(regency_id: int, filters: EntryFilters, page: int) -> Select[tuple[int]]:
    """The ids of page ``page`` of the filtered list. Filtered on the columns
    of ix_inventory_entry_list and in its order, they come from the index
    alone: the rows an OFFSET skips are never read."""
    return (
        select(Entry.id)
        .where(*_conditions(regency_id, filters))
        .order_by(*list_order(filters))
        .offset((page - 1) * filters.rows_per_page)
        .limit(filters.rows_per_page)
    )


@dataclass(frozen=True)
class StageStatusCounts:
    """Entries counted by stage and status (and both together)."""

    cells: dict[tuple[Stage, Status], int]

    def by_stage(self, stage: Stage) -> int:
        return sum(n for (s, _), n in self.cells.items() if s is stage)

    def by_status(self, status: Status) -> int:
        return sum(n for (_, s), n in self.cells.items() if s is status)

    @property
    def total(self) -> int:
        return sum(self.cells.values())


def stage_status_counts(regency_id: int, filters: EntryFilters) -> StageStatusCounts:
    """The counts of the filtered list by stage and status (one grouped query).
    Grouped in the order of ix_inventory_entry_counts and counting rows, not
    ids, so that the index alone answers when the filters are on its columns."""
    statement = (
        select(Entry.stage, Entry.status, func.count())
        .where(*_conditions(regency_id, filters))
        .group_by(Entry.status, Entry.stage)
    )
    rows = db.session.execute(statement).all()
    return StageStatusCounts({(stage, status): n for stage, status, n in rows})


def province_counts() -> dict[int, StageStatusCounts]:
    """Non-deleted entries of every regency by stage and status, in one
    grouped query read from ix_inventory_entry_counts alone; regencies
    without entries are absent."""
    statement = (
        select(Entry.regency_id, Entry.stage, Entry.status, func.count())
        .where(Entry.deleted_at.is_(None))
        .group_by(Entry.regency_id, Entry.status, Entry.stage)
    )
    cells: dict[int, dict[tuple[Stage, Status], int]] = {}
    for regency_id, stage, status, n in db.session.execute(statement):
        cells.setdefault(regency_id, {})[(stage, status)] = n
    return {regency_id: StageStatusCounts(c) for regency_id, c in cells.items()}


def active_regencies() -> list[Regency]:
    """Every active regency, in code order."""
    statement = select(Regency).where(Regency.is_active).order_by(Regency.code)
    return list(db.session.execute(statement).scalars())
