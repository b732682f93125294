"""Filtering, sorting and counting DIM entries: one contract for the list, the
export and the province view.

:func:`parse_filters` turns the query string of the list into
:class:`EntryFilters` (bad values are dropped and named, never a 500);
:func:`filtered_entries` is the SELECT of the current filtered list without
pagination, so the list pages it and the export streams it."""

import dataclasses
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from werkzeug.datastructures import MultiDict

from phpnet.extensions import db
from phpnet.regions.models import Desa, Kecamatan, Regency, Tps
from phpnet.teams.models import TeamMember
from plugins.inventory.models import Category, Entry, Evidence, Race, Stage, Status

E = TypeVar("E", bound=enum.Enum)

PER_PAGE_CHOICES = (25, 50, 100)
DEFAULT_PER_PAGE = PER_PAGE_CHOICES[0]
DEFAULT_SORT = "occurred_at"
DEFAULT_DIRECTION = "desc"
MAX_QUERY_LENGTH = 100


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


# The only sort keys a URL may name, each with its ORDER BY expressions.
SORTS: dict[str, tuple[Any, ...]] = {
    "occurred_at": (Entry.occurred_at,),
    "location": (
        _name_of(Kecamatan, Kecamatan.name, Entry.kecamatan_id),
        _name_of(Desa, Desa.name, Entry.desa_id),
        _name_of(Tps, Tps.number, Entry.tps_id),
    ),
    "race": (_enum_order(Entry.race, Race),),
    "stage": (_enum_order(Entry.stage, Stage),),
    "category": (_name_of(Category, Category.name, Entry.category_id),),
    "status": (_enum_order(Entry.status, Status),),
    "person": (_name_of(TeamMember, TeamMember.name, Entry.person_in_charge_id),),
    "evidence": (evidence_count(),),
}
DIRECTIONS = ("asc", "desc")


@dataclass(frozen=True)
class EntryFilters:
    """What the user asked the list for. Field names are also the URL
    arguments, so ``url_for('inventory.index', **filters.query_args())``
    rebuilds the view."""

    stage: Stage | None = None
    category_id: int | None = None
    status: Status | None = None
    race: Race | None = None
    kecamatan_id: int | None = None
    desa_id: int | None = None
    tps_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    person_id: int | None = None
    q: str = ""
    sort: str = DEFAULT_SORT
    direction: str = DEFAULT_DIRECTION
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    def query_args(self, **changes: Any) -> dict[str, str]:
        """URL arguments of these filters (with ``changes``), leaving out
        defaults so that shared links stay short."""
        changed = dataclasses.replace(self, **changes)
        args: dict[str, str] = {}
        for item in dataclasses.fields(changed):
            value = getattr(changed, item.name)
            if value is None or value == "" or value == item.default:
                continue
            if isinstance(value, enum.Enum):
                args[item.name] = str(value.value)
            elif isinstance(value, date):
                args[item.name] = value.isoformat()
            else:
                args[item.name] = str(value)
        return args

    @property
    def is_filtered(self) -> bool:
        """Whether any filter or search narrows the list."""
        narrowing = self.query_args(sort=DEFAULT_SORT, direction=DEFAULT_DIRECTION, page=1)
        narrowing.pop("per_page", None)
        return bool(narrowing)


# Field name -> its label in the filter form, for naming rejected values.
FILTER_LABELS = {
    "stage": "Tahapan",
    "category_id": "Kategori",
    "status": "Status",
    "race": "Jenis pemilihan",
    "kecamatan_id": "Kecamatan",
    "desa_id": "Desa/kelurahan",
    "tps_id": "TPS",
    "date_from": "Tanggal kejadian dari",
    "date_to": "Tanggal kejadian sampai",
    "person_id": "Penanggung jawab",
    "sort": "Urutan",
    "direction": "Arah urutan",
    "page": "Halaman",
    "per_page": "Baris per halaman",
}


def _enum_value(raw: str, enum_type: type[E]) -> E | None:
    try:
        return enum_type(raw)
    except ValueError:
        return None


MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER: a larger id cannot exist


def _positive_int(raw: str) -> int | None:
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def _iso_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


_PARSERS = {
    "stage": lambda raw: _enum_value(raw, Stage),
    "category_id": _positive_int,
    "status": lambda raw: _enum_value(raw, Status),
    "race": lambda raw: _enum_value(raw, Race),
    "kecamatan_id": _positive_int,
    "desa_id": _positive_int,
    "tps_id": _positive_int,
    "date_from": _iso_date,
    "date_to": _iso_date,
    "person_id": _positive_int,
    "sort": lambda raw: raw if raw in SORTS else None,
    "direction": lambda raw: raw if raw in DIRECTIONS else None,
    "page": _positive_int,
}


def _clamp_per_page(raw: str) -> int | None:
    """The largest offered page size not above ``raw`` (at least the smallest)."""
    number = _positive_int(raw)
    if number is None:
        return None
    fitting = [size for size in PER_PAGE_CHOICES if size <= number]
    return fitting[-1] if fitting else PER_PAGE_CHOICES[0]


def parse_filters(args: Mapping[str, str] | MultiDict[str, str]) -> tuple[EntryFilters, list[str]]:
    """The filters in ``args`` and the problems with values that were ignored
    (each an Indonesian sentence naming the filter)."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for name, parse in {**_PARSERS, "per_page": _clamp_per_page}.items():
        raw = args.get(name, "")
        if raw == "":
            continue
        parsed = parse(raw)
        if parsed is None:
            problems.append(f"{FILTER_LABELS[name]}: nilai tidak dikenal, diabaikan.")
        else:
            values[name] = parsed
    query = " ".join(args.get("q", "").split())  # also drops NUL and control whitespace
    query = query.replace("\x00", "")
    if len(query) > MAX_QUERY_LENGTH:
        problems.append(f"Pencarian dipotong menjadi {MAX_QUERY_LENGTH} karakter.")
        query = query[:MAX_QUERY_LENGTH]
    values["q"] = query
    date_from, date_to = values.get("date_from"), values.get("date_to")
    if date_from and date_to and date_from > date_to:
        problems.append("Tanggal kejadian sampai lebih awal dari tanggal dari, diabaikan.")
        del values["date_to"]
    return EntryFilters(**values), problems


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
    conditions: list[ColumnElement[bool]] = [
        Entry.regency_id == regency_id,
        Entry.deleted_at.is_(None),
    ]
    equal = {
        Entry.stage: filters.stage,
        Entry.category_id: filters.category_id,
        Entry.status: filters.status,
        Entry.race: filters.race,
        Entry.kecamatan_id: filters.kecamatan_id,
        Entry.desa_id: filters.desa_id,
        Entry.tps_id: filters.tps_id,
        Entry.person_in_charge_id: filters.person_id,
    }
    conditions += [column == value for column, value in equal.items() if value is not None]
    # occurred_at is a local time without zone: whole days compare directly.
    if filters.date_from:
        conditions.append(Entry.occurred_at >= datetime.combine(filters.date_from, time.min))
    if filters.date_to:
        next_day = filters.date_to + timedelta(days=1)
        conditions.append(Entry.occurred_at < datetime.combine(next_day, time.min))
    if filters.q:
        conditions.append(_search(regency_id, filters.q))
    return conditions


def list_order(filters: EntryFilters) -> list[ColumnElement[Any]]:
    """The ORDER BY of the chosen sort, ties broken by id so pages never
    overlap."""
    descending = filters.direction == "desc"
    order = [key.desc() if descending else key.asc() for key in SORTS[filters.sort]]
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
        .offset((page - 1) * filters.per_page)
        .limit(filters.per_page)
    )


def count_entries(regency_id: int, filters: EntryFilters) -> int:
    """How many entries match ``filters`` (one COUNT)."""
    statement = select(func.count(Entry.id)).where(*_conditions(regency_id, filters))
    return db.session.execute(statement).scalar_one()


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
