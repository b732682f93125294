"""The DIM sheet of the current filtered list: XLSX as an office would format
it, CSV, and the rows of the print view.

User text never becomes a formula: XLSX cells are typed as text (with the
quote prefix Excel shows for text that looks like a formula) and CSV cells
that look like one get a leading apostrophe (security.md D-export)."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import joinedload

from phpnet.extensions import db
from phpnet.regions.models import Desa, Kecamatan, Regency, Tps
from phpnet.teams.models import TeamMember
from phpnet.templating import tanggal
from phpnet.timeutil import WIB, utcnow
from plugins.inventory.columns import (
    COLUMNS,
    HEADERS,
    clean_text,
    column_letter,
    csv_row,
    entry_values,
    looks_like_formula,
)
from plugins.inventory.models import Category, Entry
from plugins.inventory.queries import EntryFilters, evidence_count, filtered_entries

TITLE = "Daftar Inventarisasi Masalah"
SHEET_TITLE = "DIM"
HEADER_ROW = 4  # title, filter line, a blank row, then the header
_BATCH = 500

_TITLE_FONT = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_NUMBER_FORMATS = {date: "DD/MM/YYYY", time: "HH:MM"}


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


def sheet_rows(regency: Regency, filters: EntryFilters) -> Iterator[list[object]]:
    for number, item in enumerate(exported_entries(regency, filters), start=1):
        yield entry_values(item.entry, regency, number, item.evidence_count)


def describe_filters(regency: Regency, filters: EntryFilters) -> str:
    """The filters of the list in words, for the line under the title."""
    parts: list[str] = []
    if filters.stage:
        parts.append(f"Tahapan: {filters.stage.label}")
    if filters.status:
        parts.append(f"Status: {filters.status.label}")
    if filters.race:
        parts.append(f"Jenis pemilihan: {filters.race.label}")
    named = (
        ("Kategori", Category, Category.name, filters.category_id),
        ("Kecamatan", Kecamatan, Kecamatan.name, filters.kecamatan_id),
        ("Desa/Kelurahan", Desa, Desa.name, filters.desa_id),
        ("TPS", Tps, Tps.number, filters.tps_id),
        ("Penanggung jawab", TeamMember, TeamMember.name, filters.person_id),
    )
    for label, model, name, object_id in named:
        if object_id is not None:
            parts.append(f"{label}: {_name(regency, model, name, object_id)}")
    if filters.date_from:
        parts.append(f"Sejak {tanggal(filters.date_from)}")
    if filters.date_to:
        parts.append(f"Sampai {tanggal(filters.date_to)}")
    if filters.q:
        parts.append(f"Pencarian: “{filters.q}”")
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


def _now_wib() -> datetime:
    return utcnow().replace(tzinfo=UTC).astimezone(WIB)


def exported_line(regency: Regency, filters: EntryFilters, user_name: str) -> str:
    moment = _now_wib()
    return (
        f"Filter: {describe_filters(regency, filters)} · Diekspor {moment:%d/%m/%Y %H.%M} WIB "
        f"oleh {user_name}"
    )


def sheet_title(regency: Regency) -> str:
    return f"{TITLE} — {regency.name}"


# --- XLSX ----------------------------------------------------------------------


def _text_cell(sheet: Worksheet, text: str, wrap: bool) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=clean_text(text))
    # openpyxl stores any string starting with "=" as a formula: force text.
    cell.data_type = "s"
    if looks_like_formula(cell.value):
        cell.quotePrefix = True
    cell.alignment = _WRAP if wrap else _TOP
    return cell


def _value_cell(sheet: Worksheet, value: object) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    kind = time if isinstance(value, time) else date if isinstance(value, date) else None
    if kind is not None:
        cell.number_format = _NUMBER_FORMATS[kind]
    cell.alignment = _TOP
    return cell


def _data_row(sheet: Worksheet, values: list[object]) -> list[object]:
    row: list[object] = []
    for column, value in zip(COLUMNS, values, strict=True):
        if isinstance(value, str):
            row.append(_text_cell(sheet, value, column.wrap))
        elif value is None:
            row.append(None)
        else:
            row.append(_value_cell(sheet, value))
    return row


def _heading_cell(sheet: Worksheet, text: str, font: Font) -> WriteOnlyCell:
    cell = _text_cell(sheet, text, wrap=False)
    cell.font = font
    return cell


def write_xlsx(regency: Regency, filters: EntryFilters, user_name: str, target: IO[bytes]) -> int:
    """Write the sheet to ``target``; return the number of entries. Write-only
    mode streams rows to a temporary file instead of keeping cells in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[column_letter(index)].width = column.width
    # Freezing and printing settings must come before the first row is written.
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.append([_heading_cell(sheet, sheet_title(regency), _TITLE_FONT)])
    sheet.append([_text_cell(sheet, exported_line(regency, filters, user_name), wrap=False)])
    sheet.append([])
    header = []
    for text in HEADERS:
        cell = _heading_cell(sheet, text, _BOLD)
        cell.alignment = _HEADER_ALIGNMENT
        header.append(cell)
    sheet.append(header)
    count = 0
    for values in sheet_rows(regency, filters):
        sheet.append(_data_row(sheet, values))
        count += 1
    last_row = HEADER_ROW + max(count, 1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{column_letter(len(COLUMNS) - 1)}{last_row}"
    workbook.save(target)
    return count


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
    return f"dim-{regency.slug}-{_now_wib():%Y%m%d}.{extension}"
