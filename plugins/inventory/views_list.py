"""The DIM list: filters, search as you type, sorting, pagination and counts by
stage and status, swapped in as htmx partials while the address bar keeps the
filtered view; plus inline and bulk status changes.

A page of the list costs two queries whatever the size of the DIM: the counts
by stage and status (whose sum is the total) and the page of rows with their
location, category, person in charge and evidence count joined in."""

import dataclasses
import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, raiseload

from phpnet.audit.models import AuditEntry
from phpnet.extensions import db
from phpnet.htmx import is_htmx, is_partial, render
from phpnet.plugin_system.contributions import has_permission, require_permission
from phpnet.regions.models import Desa, Kecamatan, Tps
from phpnet.teams.models import TeamMember
from phpnet.templating import waktu
from plugins.inventory.blueprint import EDIT, MANAGE, VIEW, bp
from plugins.inventory.models import Category, Entry, Race, Stage, Status
from plugins.inventory.queries import (
    PER_PAGE_CHOICES,
    EntryFilters,
    StageStatusCounts,
    evidence_count,
    filtered_entries,
    parse_filters,
    stage_status_counts,
)

LIST_TEMPLATE = "inventory/list.html"
ROW_TEMPLATE = "inventory/_list_row.html"
MAX_BULK_IDS = max(PER_PAGE_CHOICES)  # one page of the list at most
# Sort keys whose natural first click is newest or largest first.
DESCENDING_FIRST = frozenset({"occurred_at", "evidence"})
# The table's columns: (sort key or None, header).
COLUMNS = (
    ("occurred_at", "Waktu"),
    ("location", "Lokasi"),
    ("race", "Pemilihan"),
    ("stage", "Tahapan"),
    ("category", "Kategori"),
    (None, "Uraian singkat"),
    ("status", "Status"),
    ("person", "Penanggung jawab"),
    ("evidence", "Bukti"),
)


@dataclass(frozen=True)
class Row:
    entry: Entry
    evidence_count: int


@dataclass(frozen=True)
class ListPage:
    rows: list[Row]
    number: int
    count: int
    total: int
    per_page: int

    @property
    def first_item(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_item(self) -> int:
        return min(self.number * self.per_page, self.total)

    @property
    def numbers(self) -> list[int | None]:
        """The page links to show: first, last and two around the current
        page; None marks a gap."""
        shown = sorted(
            {1, self.count, *range(max(1, self.number - 2), min(self.count, self.number + 2) + 1)}
        )
        numbers: list[int | None] = []
        previous = 0
        for number in shown:
            if number - previous > 1:
                numbers.append(None)
            numbers.append(number)
            previous = number
        return numbers


class FilterChoices:
    """The options of the filter form, each loaded only if the template
    renders it (an htmx partial of the results needs none of them)."""

    def __init__(self, regency_id: int, filters: EntryFilters) -> None:
        self.regency_id = regency_id
        self.filters = filters

    @cached_property
    def categories(self) -> list[Category]:
        statement = (
            select(Category)
            .where((Category.regency_id == self.regency_id) | Category.regency_id.is_(None))
            .order_by(Category.name)
        )
        return list(db.session.execute(statement).scalars())

    @cached_property
    def kecamatan(self) -> list[Kecamatan]:
        statement = select(Kecamatan).where(Kecamatan.regency_id == self.regency_id)
        return list(db.session.execute(statement.order_by(Kecamatan.name)).scalars())

    @cached_property
    def desa(self) -> list[Desa]:
        """The desa of the chosen kecamatan (or just the chosen desa)."""
        statement = select(Desa).where(Desa.regency_id == self.regency_id).order_by(Desa.name)
        if self.filters.kecamatan_id:
            statement = statement.where(Desa.kecamatan_id == self.filters.kecamatan_id)
        elif self.filters.desa_id:
            statement = statement.where(Desa.id == self.filters.desa_id)
        else:
            return []
        return list(db.session.execute(statement).scalars())

    @cached_property
    def tps(self) -> list[Tps]:
        """The TPS of the chosen desa (or just the chosen TPS)."""
        statement = select(Tps).where(Tps.regency_id == self.regency_id).order_by(Tps.number)
        if self.filters.desa_id:
            statement = statement.where(Tps.desa_id == self.filters.desa_id)
        elif self.filters.tps_id:
            statement = statement.where(Tps.id == self.filters.tps_id)
        else:
            return []
        return list(db.session.execute(statement).scalars())

    @cached_property
    def persons(self) -> list[TeamMember]:
        """Team members in charge of at least one entry of the regency."""
        in_charge = select(Entry.person_in_charge_id).where(
            Entry.regency_id == self.regency_id, Entry.deleted_at.is_(None)
        )
        statement = (
            select(TeamMember)
            .where(TeamMember.regency_id == self.regency_id, TeamMember.id.in_(in_charge))
            .order_by(TeamMember.name)
        )
        return list(db.session.execute(statement).scalars())


@bp.get("/")
@require_permission(VIEW)
def index() -> Response:
    filters, problems = parse_filters(request.args)
    filters = _forget_stale_location(filters)
    filters, location_problems = _consistent_location(filters)
    response = _list_response(filters, problems + location_problems)
    if is_partial():
        # The canonical address of this view (no empty or stale arguments),
        # replacing the raw request URL htmx would push.
        response.headers["HX-Push-Url"] = url_for("inventory.index", **filters.query_args())
    return response


@bp.post("/<int:entry_id>/status")
@require_permission(EDIT)
def set_status(entry_id: int) -> Response:
    filters, _ = parse_filters(request.args)
    entry = _live_entries([entry_id], lock=True).get(entry_id)
    if entry is None:
        abort(404)
    status = _status_from_form()
    version = request.form.get("version", "")
    if status is None:
        return _row_refused(entry, filters, "Pilih status yang tersedia.", 422)
    if version != str(entry.version):
        return _row_refused(entry, filters, _conflict_message(entry), _refused(409))
    if entry.status is not status:
        entry.status = status
        entry.version += 1
    db.session.commit()
    message = f"Status entri diubah menjadi {status.label}."
    if is_htmx():
        return _row_response(entry_id, filters, notice=message)
    flash(message, "success")
    return redirect(url_for("inventory.index", **filters.query_args()), 303)


@bp.post("/status-massal")
@require_permission(EDIT)
def bulk_status() -> Response:
    filters, problems = parse_filters(request.args)
    raw_ids = request.form.getlist("entry_ids")
    status = _status_from_form()
    if not raw_ids:
        return _list_response(filters, problems, error="Pilih minimal satu entri.", status=422)
    if status is None:
        return _list_response(filters, problems, error="Pilih status baru.", status=422)
    if len(raw_ids) > MAX_BULK_IDS:
        refusal = f"Paling banyak {MAX_BULK_IDS} entri sekaligus. Tidak ada status yang diubah."
        return _list_response(filters, problems, error=refusal, status=_refused(400))
    ids = {int(raw) for raw in raw_ids if raw.isascii() and raw.isdigit() and len(raw) < 12}
    entries = _live_entries(ids, lock=True)
    if len(ids) != len(raw_ids) or len(entries) != len(ids):
        db.session.rollback()
        refusal = "Sebagian entri terpilih tidak ada di DIM ini. Tidak ada status yang diubah."
        return _list_response(filters, problems, error=refusal, status=_refused(400))
    changed = [entry for entry in entries.values() if entry.status is not status]
    for entry in changed:
        entry.status = status
        entry.version += 1
    db.session.commit()
    message = f"{len(changed)} entri diubah menjadi {status.label}."
    if is_htmx():
        return _list_response(filters, problems, notice=message)
    flash(message, "success")
    return redirect(url_for("inventory.index", **filters.query_args()), 303)


def _refused(status: int) -> int:
    """The status of a refused change: htmx swaps only 2xx and 422 (base.html),
    so it gets 422 to show why; a plain form gets ``status`` itself."""
    return 422 if is_htmx() else status


def _forget_stale_location(filters: EntryFilters) -> EntryFilters:
    """When htmx reports that the kecamatan (or desa) select changed, the
    desa and TPS still in the form belong to the old choice: drop them."""
    changed = request.headers.get("HX-Trigger-Name") if is_htmx() else None
    if changed == "kecamatan_id":
        return dataclasses.replace(filters, desa_id=None, tps_id=None)
    if changed == "desa_id":
        return dataclasses.replace(filters, tps_id=None)
    return filters


def _consistent_location(filters: EntryFilters) -> tuple[EntryFilters, list[str]]:
    """A desa outside the chosen kecamatan, or a TPS outside the chosen desa,
    is ignored and named (a form submitted without JavaScript after changing
    only the kecamatan sends the old desa along)."""
    choices = FilterChoices(g.regency.id, filters)
    problems = []
    if filters.desa_id and filters.desa_id not in {d.id for d in choices.desa}:
        filters = dataclasses.replace(filters, desa_id=None, tps_id=None)
        problems.append("Desa/kelurahan tidak ada di kecamatan terpilih, diabaikan.")
    elif filters.tps_id and filters.tps_id not in {t.id for t in choices.tps}:
        filters = dataclasses.replace(filters, tps_id=None)
        problems.append("TPS tidak ada di desa/kelurahan terpilih, diabaikan.")
    return filters, problems


def _list_response(
    filters: EntryFilters,
    problems: list[str],
    *,
    notice: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The list page, or its results block for htmx."""
    counts = stage_status_counts(g.regency.id, filters)
    page = _page(filters, counts)
    changed = request.headers.get("HX-Trigger-Name") if is_partial() else None
    return render(
        LIST_TEMPLATE,
        block="results",
        status=status,
        regency=g.regency,
        filters=filters,
        choices=FilterChoices(g.regency.id, filters),
        counts=counts,
        page=page,
        problems=problems,
        notice=notice,
        error=error,
        can_edit=has_permission(current_user, g.regency, EDIT),
        can_manage=has_permission(current_user, g.regency, MANAGE),
        # Refresh the dependent selects out of band, never the one just used.
        refresh_desa=changed == "kecamatan_id",
        refresh_tps=changed in ("kecamatan_id", "desa_id"),
        **_template_constants(),
    )


def _template_constants() -> dict[str, Any]:
    return {
        "stages": list(Stage),
        "statuses": list(Status),
        "races": list(Race),
        "per_page_choices": PER_PAGE_CHOICES,
        "columns": COLUMNS,
        "descending_first": DESCENDING_FIRST,
    }


def _page(filters: EntryFilters, counts: StageStatusCounts) -> ListPage:
    """The requested page of the filtered list (the last one if it asks for
    more), its rows loaded with everything the table shows in one query."""
    total = counts.total
    count = max(1, math.ceil(total / filters.per_page))
    number = min(filters.page, count)
    statement = _rows_statement(filtered_entries(g.regency.id, filters))
    statement = statement.offset((number - 1) * filters.per_page).limit(filters.per_page)
    rows = [Row(entry, n) for entry, n in db.session.execute(statement).all()]
    return ListPage(rows, number, count, total, filters.per_page)


def _rows_statement(entries: Select[tuple[Entry]]) -> Select[tuple[Entry, int]]:
    """``entries`` with what a row of the table shows; any other relationship
    a template touches raises instead of quietly costing a query per row."""
    return entries.add_columns(evidence_count()).options(
        joinedload(Entry.category),
        joinedload(Entry.kecamatan),
        joinedload(Entry.desa),
        joinedload(Entry.tps),
        joinedload(Entry.person_in_charge),
        raiseload("*"),
    )


def _row_response(
    entry_id: int,
    filters: EntryFilters,
    *,
    notice: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """One row of the table, as the list shows it, for htmx to swap in."""
    statement = _rows_statement(
        select(Entry).where(Entry.id == entry_id, Entry.regency_id == g.regency.id)
    )
    entry, count = db.session.execute(statement).one()
    body = render_template(
        ROW_TEMPLATE,
        row=Row(entry, count),
        filters=filters,
        can_edit=True,
        row_notice=notice,
        row_error=error,
        statuses=list(Status),
    )
    return Response(body, status)


def _row_refused(entry: Entry, filters: EntryFilters, message: str, status: int) -> Response:
    """A status change that was not made: the row as it is now with why
    (htmx), or the list with the message (plain form)."""
    db.session.rollback()
    if is_htmx():
        return _row_response(entry.id, filters, error=message, status=status)
    return _list_response(filters, [], error=message, status=status)


def _conflict_message(entry: Entry) -> str:
    """Who changed the entry last, when, and what its status is now."""
    last_change = db.session.execute(
        select(AuditEntry.actor)
        .where(AuditEntry.object_type == Entry.__tablename__, AuditEntry.object_id == str(entry.id))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    by = f" oleh {last_change}" if last_change else ""
    return (
        f"Entri ini sudah diubah{by} pada {waktu(entry.updated_at)}; statusnya sekarang "
        f"{entry.status.label}. Perubahan Anda tidak disimpan: periksa lalu ulangi."
    )


def _status_from_form() -> Status | None:
    try:
        return Status(request.form.get("status", ""))
    except ValueError:
        return None


def _live_entries(ids: Any, *, lock: bool = False) -> dict[int, Entry]:
    """The regency's non-deleted entries among ``ids`` (locked for update on
    databases that lock rows; SQLite writes begin IMMEDIATE anyway)."""
    statement = select(Entry).where(
        Entry.id.in_(list(ids)),
        Entry.regency_id == g.regency.id,
        Entry.deleted_at.is_(None),
    )
    if lock:
        statement = statement.with_for_update()
    return {entry.id: entry for entry in db.session.execute(statement).scalars()}
