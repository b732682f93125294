"""The DIM list: filters, search as you type, sorting, pagination and counts by
stage and status, swapped in as htmx partials while the address bar keeps the
filtered view; plus inline and bulk status changes.

A page of the list costs two queries whatever the size of the DIM: the counts
by stage and status (whose sum is the total) and the page of rows with their
location, category, person in charge and evidence count joined in. Both read
indexes that cover the usual filters, so their cost does not grow with the
table; rows are plain columns (no ORM objects) and the template joins each
row's URLs from the page's base URLs instead of building them per row."""

import dataclasses
import math
from dataclasses import dataclass
from datetime import datetime
from functools import cache, cached_property
from typing import Any, NamedTuple
from urllib.parse import urlencode

from flask import Response, abort, flash, g, redirect, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    exists,
    literal,
    literal_column,
    select,
    true,
    union_all,
)

from phpnet.audit.models import AuditEntry
from phpnet.database import worker_cache
from phpnet.extensions import db
from phpnet.htmx import is_htmx, is_partial, render
from phpnet.plugin_system.permissions import has_permission, requires
from phpnet.regions.models import Desa, Kecamatan, Tps
from phpnet.teams.models import TeamMember
from phpnet.templating import angka, tanggal, waktu
from plugins.inventory.blueprint import EDIT, MANAGE, VIEW, bp
from plugins.inventory.models import Category, Entry, Race, Stage, Status
from plugins.inventory.queries import (
    PER_PAGE_CHOICES,
    EntryFilters,
    StageStatusCounts,
    evidence_count,
    list_order,
    page_ids,
    parse_filters,
    stage_status_counts,
)

LIST_TEMPLATE = "inventory/list.html"
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


# Any id would do: it marks where a row's id goes in a URL built once per page.
URL_ID_MARKER = 987654321
URL_SAFE = "!$'()*,/:;?@"  # what url_for leaves unquoted in a query string


class ListRow(NamedTuple):
    """What one line of the table shows."""

    id: int
    occurred_at: datetime
    kecamatan: str | None
    desa: str | None
    tps_number: int | None
    race: Race
    dapil: str | None
    stage: Stage
    category: str
    description: str
    status: Status
    version: int
    person: str | None
    evidence_count: int

    @property
    def tps_label(self) -> str | None:
        return None if self.tps_number is None else f"TPS {self.tps_number:03d}"

    # Formatted here rather than with filters and strftime in the template:
    # for 50 rows those calls were a third of the table's rendering.
    @property
    def occurred_iso(self) -> str:
        """2024-02-14T21:30, for <time datetime>."""
        at = self.occurred_at
        return f"{at.year:04d}-{at.month:02d}-{at.day:02d}T{at.hour:02d}:{at.minute:02d}"

    @property
    def occurred_text(self) -> str:
        """14 Februari 2024 21.30."""
        at = self.occurred_at
        return f"{tanggal(at)} {at.hour:02d}.{at.minute:02d}"


def _status_options(selected: Status) -> Markup:
    return Markup("").join(
        Markup('<option value="{}"{}>{}</option>').format(
            status.value, Markup(" selected") if status is selected else "", status.label
        )
        for status in Status
    )


# The options of a row's status select, for each status it may have: built
# once here instead of looping over the statuses in every row.
STATUS_OPTIONS = {status: _status_options(status) for status in Status}
# The labels rows show, escaped once (plain str: adding to Markup escapes).
LABELS = {member: str(escape(member.label)) for kind in (Race, Stage, Status) for member in kind}
STATUS_BADGES = {Status.RESOLVED: "badge ok", Status.DISPUTE_LIKELY: "badge off"}
DESCRIPTION_LENGTH = 90  # then cut, with "...", as Jinja's truncate(90, killwords=true)
TRUNCATE_LEEWAY = 5  # Jinja's default: a text at most this much longer is shown whole


@dataclass(frozen=True)
class RowUrl:
    """The URL of an endpoint for any entry id, as the text before and after
    the id: a row joins its id in between (url_for per row cost a third of
    the page)."""

    before: str
    after: str

    @classmethod
    def of(cls, endpoint: str, **values: Any) -> "RowUrl":
        url = url_for(endpoint, entry_id=URL_ID_MARKER, **values)
        before, marker, after = url.partition(f"/{URL_ID_MARKER}")
        assert marker, url  # every entry route has /<entry_id> in its path
        return cls(before + "/", after)


@dataclass(frozen=True)
class TableRows:
    """The rows of the DIM table as HTML (``{{ table_rows(page.rows) }}``).

    Written here rather than in a template: for the 50 rows of a page, Jinja
    spent more time on its per-expression lookups and escaping than the page's
    queries took (1.2 of the list's 10 ms). Only text users typed is escaped
    per row; labels, numbers and the page's URLs are escaped once."""

    can_edit: bool
    entry_url: RowUrl
    status_url: RowUrl

    def __call__(
        self, rows: list[ListRow], notice: str | None = None, error: str | None = None
    ) -> Markup:
        # Plain str throughout (f-strings give str): Markup would escape what
        # is added to it.
        entry_before, entry_after = _escaped(self.entry_url.before), _escaped(self.entry_url.after)
        status_before = _escaped(self.status_url.before)
        status_after = _escaped(self.status_url.after)
        token = _escaped(generate_csrf()) if self.can_edit else ""
        message = ""
        if notice:
            message += f'<p class="muted" role="status">{escape(notice)}</p>'
        if error:
            message += f'<p class="flash flash-error" role="alert">{escape(error)}</p>'
        html = []
        for row in rows:
            id = row.id
            place = _escaped(row.kecamatan or "Tingkat kabupaten/kota")
            if row.desa:
                place += f"<br>{escape(row.desa)}"
            if row.tps_number:
                place += f"<br>{row.tps_label}"
            race = LABELS[row.race]
            if row.dapil:
                race += f'<br><small class="muted">{escape(row.dapil)}</small>'
            if self.can_edit:
                choose = (
                    f'<td><input type="checkbox" name="entry_ids" value="{id}" '
                    f'form="inventory-bulk" aria-label="Pilih entri nomor {id}"></td>'
                )
                action = f"{status_before}{id}{status_after}"
                status = (
                    f'\n    <form method="post" action="{action}" hx-post="{action}" '
                    f'hx-target="closest tr" hx-swap="outerHTML">\n'
                    f'      <input type="hidden" name="csrf_token" value="{token}">'
                    f'<input type="hidden" name="version" value="{row.version}">\n'
                    f'      <label for="status-{id}" class="visually-hidden">'
                    f"Status entri nomor {id}</label>\n"
                    f'      <select id="status-{id}" name="status">'
                    f"{STATUS_OPTIONS[row.status]}</select>\n"
                    f'      <button type="submit">Simpan</button>\n    </form>'
                )
            else:
                choose = ""
                badge = STATUS_BADGES.get(row.status, "badge")
                status = f'<span class="{badge}">{LABELS[row.status]}</span>'
            html.append(
                f'\n<tr id="entry-{id}">{choose}\n'
                f'  <td><time datetime="{row.occurred_iso}">{row.occurred_text}</time></td>\n'
                f"  <td>{place}</td>\n"
                f"  <td>{race}</td>\n"
                f"  <td>{LABELS[row.stage]}</td>\n"
                f"  <td>{escape(row.category)}</td>\n"
                f'  <td><a href="{entry_before}{id}{entry_after}">'
                f"{escape(_truncated(row.description))}</a></td>\n"
                f'  <td class="inventory-status">{status}{message}\n  </td>\n'
                f"  <td>{escape(row.person or '-')}</td>\n"
                f'  <td class="num">{angka(row.evidence_count)}</td>\n</tr>'
            )
        return Markup("".join(html))  # noqa: S704 - each user text escaped above


def _escaped(text: str) -> str:
    return str(escape(text))


def _truncated(text: str) -> str:
    if len(text) <= DESCRIPTION_LENGTH + TRUNCATE_LEEWAY:
        return text
    return text[: DESCRIPTION_LENGTH - 3] + "..."


@dataclass(frozen=True)
class ListLink:
    """Links to the list with some filters changed (a sort, a page, a count):
    the list's URL, built once, with the filters' query string. Encoded like
    url_for, which cost tens of calls per page."""

    base: str
    filters: EntryFilters

    def __call__(self, **changes: Any) -> str:
        args = self.filters.query_args(**changes)
        return f"{self.base}?{urlencode(args, safe=URL_SAFE)}" if args else self.base


@dataclass(frozen=True)
class ListPage:
    rows: list[ListRow]
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


class Option(NamedTuple):
    """One choice of a select of the filter form."""

    id: int
    name: str
    is_active: bool


class FilterChoices:
    """The options of the filter form, each loaded only if the template
    renders it (an htmx partial of the results needs none of them). Options
    are the columns the form shows, not ORM objects."""

    def __init__(self, regency_id: int, filters: EntryFilters) -> None:
        self.regency_id = regency_id
        self.filters = filters

    @property
    def categories(self) -> list[Option]:
        return self._always_shown["category"]

    @property
    def kecamatan(self) -> list[Option]:
        return self._always_shown["kecamatan"]

    @property
    def persons(self) -> list[Option]:
        """Team members (of any decree) in charge of at least one live entry
        of the regency."""
        return self._always_shown["person"]

    @cached_property
    def _always_shown(self) -> dict[str, list[Option]]:
        """The categories, kecamatan and persons in charge, which the form
        always shows together. Every full list page shows them, so a worker
        keeps them until the database changes (see data_stamp)."""
        kept = worker_cache("inventory_filter_options")
        if kept is None:
            return self._read_always_shown()
        if self.regency_id not in kept:
            kept[self.regency_id] = self._read_always_shown()
        return kept[self.regency_id]

    def _read_always_shown(self) -> dict[str, list[Option]]:
        """The three by name, in one query: here a query costs more than its
        rows. Whether a member is in charge of a live entry is one lookup in
        ix_inventory_entry_person, whatever the number of entries."""
        in_charge = exists().where(
            Entry.person_in_charge_id == TeamMember.id,
            Entry.regency_id == self.regency_id,
            Entry.deleted_at.is_(None),
        )
        kind, name = literal_column("kind"), literal_column("name")
        statement = union_all(
            select(
                literal("category").label("kind"), Category.id, Category.name, Category.is_active
            ).where((Category.regency_id == self.regency_id) | Category.regency_id.is_(None)),
            select(literal("kecamatan"), Kecamatan.id, Kecamatan.name, true()).where(
                Kecamatan.regency_id == self.regency_id
            ),
            select(literal("person"), TeamMember.id, TeamMember.name, true()).where(
                TeamMember.regency_id == self.regency_id, in_charge
            ),
        ).order_by(kind, name)
        options: dict[str, list[Option]] = {"category": [], "kecamatan": [], "person": []}
        for row_kind, *option in db.session.execute(statement):
            options[row_kind].append(Option(*option))
        return options

    @cached_property
    def desa(self) -> list[Row[tuple[int, str]]]:
        """The desa of the chosen kecamatan (or just the chosen desa)."""
        if not (self.filters.kecamatan_id or self.filters.desa_id):
            return []
        statement = select(Desa.id, Desa.name).where(Desa.regency_id == self.regency_id)
        if self.filters.kecamatan_id:
            statement = statement.where(Desa.kecamatan_id == self.filters.kecamatan_id)
        else:
            statement = statement.where(Desa.id == self.filters.desa_id)
        return list(db.session.execute(statement.order_by(Desa.name)))

    @cached_property
    def tps(self) -> list[Tps]:
        """The TPS of the chosen desa (or just the chosen TPS)."""
        if not (self.filters.desa_id or self.filters.tps_id):
            return []
        statement = select(Tps).where(Tps.regency_id == self.regency_id).order_by(Tps.number)
        if self.filters.desa_id:
            statement = statement.where(Tps.desa_id == self.filters.desa_id)
        else:
            statement = statement.where(Tps.id == self.filters.tps_id)
        return list(db.session.execute(statement).scalars())


@bp.get("/")
@requires(VIEW)
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
@requires(EDIT)
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
@requires(EDIT)
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
    can_edit = has_permission(current_user, g.regency, EDIT)
    counts = stage_status_counts(g.regency.id, filters)
    page = _page(filters, counts)
    changed = request.headers.get("HX-Trigger-Name") if is_partial() else None
    return render(
        LIST_TEMPLATE,
        block="results",
        status=status,
        regency=g.regency,
        filters=filters,
        list_link=ListLink(url_for("inventory.index"), filters),
        choices=FilterChoices(g.regency.id, filters),
        counts=counts,
        page=page,
        problems=problems,
        notice=notice,
        error=error,
        can_edit=can_edit,
        can_manage=has_permission(current_user, g.regency, MANAGE),
        # Refresh the dependent selects out of band, never the one just used.
        refresh_desa=changed == "kecamatan_id",
        refresh_tps=changed in ("kecamatan_id", "desa_id"),
        table_rows=_table_rows(filters, can_edit),
        **_template_constants(),
    )


def _table_rows(filters: EntryFilters, can_edit: bool) -> TableRows:
    """The rows' HTML with the URLs every row links to, built once per page;
    the status change keeps the filters so that a plain form returns to the
    same view."""
    return TableRows(
        can_edit,
        RowUrl.of("inventory.entry"),
        RowUrl.of("inventory.set_status", **filters.query_args()),
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
    more), in one query: the page's ids (from the index alone, see
    page_ids), then only their rows with everything the table shows."""
    total = counts.total
    count = max(1, math.ceil(total / filters.per_page))
    number = min(filters.page, count)
    statement = _rows(Entry.id.in_(page_ids(g.regency.id, filters, number)))
    rows = [ListRow(*row) for row in db.session.execute(statement.order_by(*list_order(filters)))]
    return ListPage(rows, number, count, total, filters.per_page)


def _rows(*where: ColumnElement[bool]) -> Select[Any]:
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


def _row_response(
    entry_id: int,
    filters: EntryFilters,
    *,
    notice: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """One row of the table, as the list shows it, for htmx to swap in."""
    statement = _rows(Entry.id == entry_id, Entry.regency_id == g.regency.id)
    row = ListRow(*db.session.execute(statement).one())
    body = _table_rows(filters, can_edit=True)([row], notice=notice, error=error)
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
