"""The rows of the DIM table: what one line shows (:class:`ListRow`), and the
one place where the plugin writes HTML in Python (:class:`TableRows`), kept
because it was measured to be worth it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from flask import url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from phpnet.plugin_api import angka, tanggal
from plugins.inventory.models import Race, Stage, Status

URL_ID_MARKER = 987654321  # any id: marks where a row's id goes in a RowUrl
DESCRIPTION_LENGTH = 90  # then cut, with "...", as Jinja's truncate(90, killwords=true)
TRUNCATE_LEEWAY = 5  # Jinja's default: a text at most this much longer is shown whole
STATUS_BADGES = {Status.RESOLVED: "badge ok", Status.DISPUTE_LIKELY: "badge off"}


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


@dataclass(frozen=True)
class RowUrl:
    """The URL of an endpoint for any entry id, as the text before and after
    the id, built once per page: a row joins its id in between (url_for per
    row was half of the table's rendering)."""

    before: str
    after: str

    @classmethod
    def of(cls, endpoint: str, **values: Any) -> "RowUrl":
        url = url_for(endpoint, entry_id=URL_ID_MARKER, **values)
        before, marker, after = url.partition(f"/{URL_ID_MARKER}")
        assert marker, url  # every entry route has /<entry_id> in its path
        return cls(before + "/", after)


def _status_options(selected: Status) -> Markup:
    return Markup("").join(
        Markup('<option value="{}"{}>{}</option>').format(
            status.value, Markup(" selected") if status is selected else "", status.label
        )
        for status in Status
    )


# The options of a row's status select for each status it may have, and the
# labels rows show, escaped once (plain str: adding to Markup would escape).
STATUS_OPTIONS = {status: _status_options(status) for status in Status}
LABELS = {member: str(escape(member.label)) for kind in (Race, Stage, Status) for member in kind}


@dataclass(frozen=True)
class TableRows:
    """The rows of the DIM table as HTML (``{{ table_rows(page.items) }}``).

    Written in Python rather than as a Jinja macro because it was measured:
    bench/table_rows_ab.py serves Kab. Malang's list (5,000-entry bench
    dataset, status belum, 50 rows, as operator) both ways in one process,
    interleaved, 20 rounds of 50 requests each, against the best macro tried
    (bench/templates/table_rows_ab.html: URLs built once per page, locals
    bound per row, one call for all rows). Process CPU time per request, two
    runs: the htmx fragment of a filter change 5.73 and 5.59 ms with the
    macro, 4.78 and 4.78 ms with this (macro +17 to +20%; per round B/A
    0.73-0.91); the full page 9.15 and 9.06 ms against 8.23 and 8.16 ms
    (macro +11%; per round 0.76-0.95). Jinja's per-expression lookups and
    escaping cost ~20 µs a row; here only text users typed is escaped per
    row, labels, numbers and the page's URLs once."""

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
