"""The DIM sheet of the current filtered list: XLSX as an office would format
it, CSV, and the rows of the print view.

User text never becomes a formula: XLSX cells are typed as text (with the
quote prefix Excel shows for text that looks like a formula) and CSV cells
that look like one get a leading apostrophe (security.md D-export)."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from typing import IO, Any

import xlsxwriter
from sqlalchemy.orm import joinedload
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from phpnet.plugin_api import (
    Desa,
    Kecamatan,
    Regency,
    TeamMember,
    Tps,
    db,
    now_wib,
    tanggal,
    write_text,
)
from plugins.inventory.columns import COLUMNS, HEADERS, csv_row, entry_values
from plugins.inventory.filters import EntryFilters
from plugins.inventory.models import Category, Entry
from plugins.inventory.queries import evidence_count, filtered_entries, filtered_rows

TITLE = "Daftar Inventarisasi Masalah"
SHEET_TITLE = "DIM"
HEADER_ROW = 4  # title, filter line, a blank row, then the header
_BATCH = 500


@dataclass(frozen=True)
class ExportedEntry:
    entry: Entry
    evidence_count: int


def exported_entries(regency: Regency, filters: EntryFilters) -> Iterator[ExportedEntry]:
    """The entries of the filtered list in its order, with what each row
    shows loaded in the same query (no query per row), a batch at a time."""
    statement = (
        filtered_entries(regency.id, filters)
        .add_columns(evidence_count())
        .options(
            joinedload(Entry.kecamatan),
            joinedload(Entry.desa),
            joinedload(Entry.tps),
            joinedload(Entry.category),
            joinedload(Entry.person_in_charge),
        )
        .execution_options(yield_per=_BATCH)
    )
    for entry, evidence in db.session.execute(statement):
        yield ExportedEntry(entry, evidence)


# What a sheet row shows, read as plain columns: building 10,000 ORM entries
# with their places, category and person cost as much as writing the sheet.
SHEET_FIELDS = (
    Entry.level, Entry.race, Entry.dapil, Entry.stage, Entry.occurred_at, Entry.description,
    Entry.objector, Entry.record_form, Entry.record_form_number, Entry.bawaslu_letter_number,
    Entry.bawaslu_letter_date, Entry.bawaslu_content, Entry.follow_up, Entry.follow_up_detail,
    Entry.follow_up_date, Entry.status, Entry.vote_difference, Entry.notes,
    Kecamatan.name.label("kecamatan_name"), Kecamatan.code.label("kecamatan_code"),
    Desa.name.label("desa_name"), Desa.code.label("desa_code"), Tps.number.label("tps_number"),
    Category.name.label("category_name"), TeamMember.name.label("person_name"),
    evidence_count().label("evidence_count"),
)  # fmt: skip


def sheet_rows(regency: Regency, filters: EntryFilters) -> Iterator[list[object]]:
    statement = (
        filtered_rows(regency.id, filters, *SHEET_FIELDS)
        .select_from(Entry)
        .join(Category, Entry.category_id == Category.id)
        .outerjoin(Kecamatan, Entry.kecamatan_id == Kecamatan.id)
        .outerjoin(Desa, Entry.desa_id == Desa.id)
        .outerjoin(Tps, Entry.tps_id == Tps.id)
        .outerjoin(TeamMember, Entry.person_in_charge_id == TeamMember.id)
        .execution_options(yield_per=_BATCH)
    )
    for number, row in enumerate(db.session.execute(statement), start=1):
        yield entry_values(row, regency, number)


def describe_filters(regency: Regency, filters: EntryFilters) -> str:
    """The filters of the list in words, for the line under the title."""
    values = filters.values
    parts = [
        f"{label}: {values[key].label}"
        for key, label in (("stage", "Tahapan"), ("status", "Status"), ("race", "Jenis pemilihan"))
        if values[key]
    ]
    named = (
        ("Kategori", Category, Category.name, values["category_id"]),
        ("Kecamatan", Kecamatan, Kecamatan.name, values["kecamatan_id"]),
        ("Desa/Kelurahan", Desa, Desa.name, values["desa_id"]),
        ("TPS", Tps, Tps.number, values["tps_id"]),
        ("Penanggung jawab", TeamMember, TeamMember.name, values["person_id"]),
    )
    for label, model, name, object_id in named:
        if object_id is not None:
            parts.append(f"{label}: {_name(regency, model, name, object_id)}")
    if values["date_from"]:
        parts.append(f"Sejak {tanggal(values['date_from'])}")
    if values["date_to"]:
        parts.append(f"Sampai {tanggal(values['date_to'])}")
    if values["q"]:
        parts.append(f"Pencarian: “{values['q']}”")
    return "; ".join(parts) if parts else "Semua entri"


def _name(regency: Regency, model: Any, name: Any, object_id: int) -> str:
    """The name of a filter's row; the seeded categories have no regency."""
    owner = model.regency_id == regency.id
    if model is Category:
        owner = owner | Category.regency_id.is_(None)
    found = db.session.execute(
        db.select(name).where(model.id == object_id, owner)
    ).scalar_one_or_none()
    return "(tidak dikenal)" if found is None else str(found)


def exported_line(
    regency: Regency, filters: EntryFilters, user_name: str, done: str = "Diekspor"
) -> str:
    """The line under the title: the filters, and when and by whom ("Diekspor"
    or "Dicetak")."""
    moment = now_wib()
    return (
        f"Filter: {describe_filters(regency, filters)} · {done} {moment:%d/%m/%Y %H.%M} WIB "
        f"oleh {user_name}"
    )


def sheet_title(regency: Regency) -> str:
    return f"{TITLE} — {regency.name}"


# --- XLSX ----------------------------------------------------------------------


A4_PAPER = 9
WORKBOOK_OPTIONS = {
    "constant_memory": True,  # rows go to disk as written: 50,000 rows in little memory
    # User text stays text: never a formula, a link or a number.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


@dataclass(frozen=True)
class _Formats:
    title: Format
    header: Format
    plain: Format
    wrap: Format
    quoted: Format
    quoted_wrap: Format
    date: Format
    time: Format


def _formats(workbook: xlsxwriter.Workbook) -> _Formats:
    top = {"valign": "top"}
    return _Formats(
        title=workbook.add_format({"bold": True, "font_size": 14}),
        header=workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EDF2", "border": 1}
        ),
        plain=workbook.add_format(top),
        wrap=workbook.add_format({**top, "text_wrap": True}),
        # Text that looks like a formula is shown as typed, never run.
        quoted=workbook.add_format({**top, "quote_prefix": True}),
        quoted_wrap=workbook.add_format({**top, "text_wrap": True, "quote_prefix": True}),
        date=workbook.add_format({**top, "num_format": "DD/MM/YYYY"}),
        time=workbook.add_format({**top, "num_format": "HH:MM"}),
    )


def _write_cell(
    sheet: Worksheet, row: int, col: int, value: object, wrap: bool, f: _Formats
) -> None:
    if value is None:
        return
    if isinstance(value, str):
        quoted = f.quoted_wrap if wrap else f.quoted
        write_text(sheet, row, col, value, f.wrap if wrap else f.plain, quoted)
    elif isinstance(value, bool | int | float):
        sheet.write_number(row, col, value, f.plain)
    elif isinstance(value, time):
        sheet.write_datetime(row, col, value, f.time)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, f.date)
    else:
        sheet.write_string(row, col, str(value), f.plain)


def write_xlsx(regency: Regency, filters: EntryFilters, user_name: str, target: IO[bytes]) -> int:
    """Write the sheet to ``target`` with XlsxWriter, a row at a time; return
    the number of entries."""
    workbook = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    formats = _formats(workbook)
    sheet = workbook.add_worksheet(SHEET_TITLE)
    sheet.set_landscape()
    sheet.set_paper(A4_PAPER)
    for index, column in enumerate(COLUMNS):
        sheet.set_column(index, index, column.width)
    sheet.write_string(0, 0, sheet_title(regency), formats.title)
    sheet.write_string(1, 0, exported_line(regency, filters, user_name), formats.plain)
    header = HEADER_ROW - 1
    sheet.write_row(header, 0, HEADERS, formats.header)
    sheet.freeze_panes(HEADER_ROW, 0)
    row = header
    for values in sheet_rows(regency, filters):
        row += 1
        for col, (value, column) in enumerate(zip(values, COLUMNS, strict=True)):
            _write_cell(sheet, row, col, value, column.wrap, formats)
    sheet.autofilter(header, 0, row, len(COLUMNS) - 1)
    workbook.close()
    return row - header


# --- CSV -----------------------------------------------------------------------


def csv_lines(regency: Regency, filters: EntryFilters) -> Iterator[str]:
    """The CSV, a line at a time: UTF-8 with a BOM (so Excel reads it as
    UTF-8), the header, then one line per entry. No title lines: a CSV is a
    table, and it imports back as it is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield "\ufeff" + line(list(HEADERS))
    for values in sheet_rows(regency, filters):
        yield line(csv_row(values))


def export_filename(regency: Regency, extension: str) -> str:
    """dim-3507-20240214.xlsx: the regency and the day (WIB) of the export."""
    return f"dim-{regency.slug}-{now_wib():%Y%m%d}.{extension}"
