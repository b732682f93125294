"""Status changes from the DIM list: one row inline (its version guards
against overwriting a change made since the row was shown), or the ticked
rows at once (all or nothing). htmx swaps the row or the results in place; a
plain form returns to the same filtered list."""

from typing import Any

from flask import Response, abort, g
from sqlalchemy import select

from phpnet.plugin_api import AuditEntry, db, is_htmx, render, requires, saved, waktu
from plugins.inventory.blueprint import EDIT, bp
from plugins.inventory.filters import PER_PAGE_CHOICES, EntryFilters, read_filters
from plugins.inventory.forms import BulkStatusForm, StatusForm
from plugins.inventory.list_rows import ListRow
from plugins.inventory.models import Entry, Status
from plugins.inventory.views_list import (
    LIST_TEMPLATE,
    list_context,
    list_response,
    row_constants,
    rows_of,
)

MAX_BULK_IDS = max(PER_PAGE_CHOICES)  # one page of the list at most
UNCHANGED = "Tidak ada status yang diubah."


@bp.post("/<int:entry_id>/status")
@requires(EDIT)
def set_status(entry_id: int) -> Response:
    filters = read_filters()
    entry = _live_entries([entry_id], lock=True).get(entry_id)
    if entry is None:
        abort(404)
    form = StatusForm()
    if not form.validate_on_submit() and form.status.errors:
        return _row_refused(entry, filters, "Pilih status yang tersedia.", 422)
    if form.version.data != entry.version:
        return _row_refused(entry, filters, _conflict_message(entry), _refused(409))
    status = Status(form.status.data)
    if entry.status is not status:
        entry.status = status
        entry.version += 1
    db.session.commit()
    return saved(
        f"Status entri diubah menjadi {status.label}.",
        "inventory.index",
        template=LIST_TEMPLATE,
        block="status_row",
        context=lambda: _row_context(entry_id, filters),
        **filters.query_args(),
    )


@bp.post("/status-massal")
@requires(EDIT)
def bulk_status() -> Response:
    filters = read_filters()
    form = BulkStatusForm()
    form.validate_on_submit()
    if not (form.entry_ids.data or form.entry_ids.errors):
        return list_response(filters, error="Pilih minimal satu entri.", status=422)
    if form.status.errors:
        return list_response(filters, error="Pilih status baru.", status=422)
    chosen = form.entry_ids.data or []
    if len(form.entry_ids.raw_data) > MAX_BULK_IDS:
        refusal = f"Paling banyak {MAX_BULK_IDS} entri sekaligus. {UNCHANGED}"
        return list_response(filters, error=refusal, status=_refused(400))
    entries = _live_entries(set(chosen), lock=True)
    if form.entry_ids.errors or len(entries) != len(set(chosen)) or len(set(chosen)) != len(chosen):
        db.session.rollback()
        refusal = f"Sebagian entri terpilih tidak ada di DIM ini. {UNCHANGED}"
        return list_response(filters, error=refusal, status=_refused(400))
    status = Status(form.status.data)
    changed = [entry for entry in entries.values() if entry.status is not status]
    for entry in changed:
        entry.status = status
        entry.version += 1
    db.session.commit()
    return saved(
        f"{len(changed)} entri diubah menjadi {status.label}.",
        "inventory.index",
        template=LIST_TEMPLATE,
        block="results",
        context=lambda: list_context(filters),
        **filters.query_args(),
    )


def _refused(status: int) -> int:
    """The status of a refused change: htmx swaps only 2xx and 422 (base.html),
    so it gets 422 to show why; a plain form gets ``status`` itself."""
    return 422 if is_htmx() else status


def _row_context(entry_id: int, filters: EntryFilters) -> dict[str, Any]:
    """One row of the table as the list shows it, for htmx to swap in."""
    statement = rows_of(Entry.id == entry_id, Entry.regency_id == g.regency.id)
    row = ListRow(*db.session.execute(statement).one())
    return {"row": row, **row_constants(filters, can_edit=True)}


def _row_refused(entry: Entry, filters: EntryFilters, message: str, status: int) -> Response:
    """A status change that was not made: the row as it is now with why
    (htmx), or the list with the message (plain form)."""
    db.session.rollback()
    if is_htmx():
        context = _row_context(entry.id, filters)
        return render(LIST_TEMPLATE, block="status_row", status=status, error=message, **context)
    return list_response(filters, error=message, status=status)


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
