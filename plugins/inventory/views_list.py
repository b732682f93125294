"""The DIM list: filters, search as you type, sorting, pagination and counts by
stage and status, swapped in as htmx partials while the address bar keeps the
filtered view.

A page of the list costs two queries whatever the size of the DIM: the counts
by stage and status (whose sum is the total) and the page of rows with their
location, category, person in charge and evidence count joined in. Both read
indexes that cover the usual filters, so their cost does not grow with the
table; rows are plain columns (no ORM objects), written by
list_rows.TableRows."""

from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

from flask import Response, g, request, url_for
from sqlalchemy import ColumnElement, Select, select

from phpnet.plugin_api import (
    Desa,
    Kecamatan,
    Page,
    TeamMember,
    Tps,
    db,
    is_partial,
    render,
    requires,
)
from plugins.inventory.blueprint import EDIT, MANAGE, VIEW, bp, may
from plugins.inventory.filters import PER_PAGE_CHOICES, EntryFilters, Sort, read_filters
from plugins.inventory.list_rows import ListRow, RowUrl, TableRows
from plugins.inventory.models import Category, Entry, Stage, Status
from plugins.inventory.queries import (
    StageStatusCounts,
    evidence_count,
    list_order,
    page_ids,
    stage_status_counts,
)

LIST_TEMPLATE = "inventory/list.html"
# The table's columns: (sort key or None, header).
COLUMNS: tuple[tuple[Sort | None, str], ...] = (
    (Sort.OCCURRED_AT, Sort.OCCURRED_AT.label),
    (Sort.LOCATION, Sort.LOCATION.label),
    (Sort.RACE, Sort.RACE.label),
    (Sort.STAGE, Sort.STAGE.label),
    (Sort.CATEGORY, Sort.CATEGORY.label),
    (None, "Uraian singkat"),
    (Sort.STATUS, Sort.STATUS.label),
    (Sort.PERSON, Sort.PERSON.label),
    (Sort.EVIDENCE, Sort.EVIDENCE.label),
)
URL_SAFE = "!$'()*,/:;?@"  # what url_for leaves unquoted in a query string


@bp.get("/")
@requires(VIEW)
def index() -> Response:
    filters = read_filters()
    response = list_response(filters)
    if is_partial():
        # The canonical address of this view (no empty or refused arguments),
        # replacing the raw request URL htmx would push.
        response.headers["HX-Push-Url"] = url_for("inventory.index", **filters.query_args())
    return response


def list_response(
    filters: EntryFilters, *, error: str | None = None, status: int = 200
) -> Response:
    """The list page, or its results block for htmx."""
    return render(
        LIST_TEMPLATE, block="results", status=status, **list_context(filters, error=error)
    )


def list_context(filters: EntryFilters, **extra: Any) -> dict[str, Any]:
    """What the list page and its results block show."""
    counts = stage_status_counts(g.regency.id, filters)
    changed = request.headers.get("HX-Trigger-Name") if is_partial() else None
    list_url = url_for("inventory.index")
    can_edit = may(EDIT)
    return {
        "regency": g.regency,
        "filters": filters.refreshing(list_url),
        "list_link": ListLink(list_url, filters),
        "counts": counts,
        "page": _page(filters, counts),
        "can_edit": can_edit,
        "can_manage": may(MANAGE),
        # Refresh the dependent selects out of band, never the one just used.
        "refresh_desa": changed == "kecamatan_id",
        "refresh_tps": changed in ("kecamatan_id", "desa_id"),
        **row_constants(filters, can_edit),
        **extra,
    }


def row_constants(filters: EntryFilters, can_edit: bool) -> dict[str, Any]:
    """What the table needs besides its rows: their HTML with the URLs every
    row links to, built once per page (a status change keeps the filters, so
    that a plain form returns to the same view)."""
    entry_url = RowUrl.of("inventory.entry")
    status_url = RowUrl.of("inventory.set_status", **filters.query_args())
    return {
        "table_rows": TableRows(can_edit, entry_url, status_url),
        "stages": list(Stage),
        "statuses": list(Status),
        "columns": COLUMNS,
        "per_page_choices": PER_PAGE_CHOICES,
    }


@dataclass(frozen=True)
class ListLink:
    """Links to the list with some filters changed (a sort, a count): the
    list's URL, built once, with the filters' query string, encoded like
    url_for (which cost tens of calls per page)."""

    base: str
    filters: EntryFilters

    def __call__(self, **changes: Any) -> str:
        return self.with_args(self.filters.query_args(**changes))

    def with_args(self, args: dict[str, str]) -> str:
        return f"{self.base}?{urlencode(args, safe=URL_SAFE)}" if args else self.base


def _page(filters: EntryFilters, counts: StageStatusCounts) -> Page:
    """The requested page of the filtered list (the last one if it asks for
    more), in one query: the page's ids (from the index alone, see
    page_ids), then only their rows with everything the table shows. The
    total is the sum of the counts, so the page needs no COUNT of its own."""
    per_page = filters.rows_per_page
    last = Page([], 1, counts.total, per_page).count
    number = min(filters.page, last)
    statement = rows_of(Entry.id.in_(page_ids(g.regency.id, filters, number)))
    found = db.session.execute(statement.order_by(*list_order(filters)))
    return Page([ListRow(*row) for row in found], number, counts.total, per_page)


def rows_of(*where: ColumnElement[bool]) -> Select[Any]:
    """The columns of ListRow for the entries ``where`` selects."""
    return _row_columns().where(*where)


@cache
def _row_columns() -> Select[Any]:
    """The columns of ListRow with their joins: the same for every page, so
    built once."""
    return (
        select(
            Entry.id,
            Entry.occurred_at,
            Kecamatan.name,
            Desa.name,
            Tps.number,
            Entry.race,
            Entry.dapil,
            Entry.stage,
            Category.name,
            Entry.description,
            Entry.status,
            Entry.version,
            TeamMember.name,
            evidence_count(),
        )
        .join(Category, Category.id == Entry.category_id)
        .outerjoin(Kecamatan, Kecamatan.id == Entry.kecamatan_id)
        .outerjoin(Desa, Desa.id == Entry.desa_id)
        .outerjoin(Tps, Tps.id == Entry.tps_id)
        .outerjoin(TeamMember, TeamMember.id == Entry.person_in_charge_id)
    )
