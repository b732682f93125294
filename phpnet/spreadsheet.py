"""Spreadsheet cells that show user text as typed and never run it as a
formula (security.md D-export), for the CSV and XLSX exports of core and
plugins alike."""

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time

import xlsxwriter
from flask import Response
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

# What Excel and LibreOffice read as the start of a formula (or of a DDE call).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")
# Options for xlsxwriter.Workbook: a string is always a string cell.
WORKBOOK_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def csv_text(text: str) -> str:
    """A CSV cell behind a leading apostrophe when it would run as a formula."""
    return "'" + text if looks_like_formula(text) else text


def write_text(
    sheet: Worksheet, row: int, column: int, text: str, style: Format | None, quoted: Format
) -> None:
    """A string cell; with Excel's quote prefix (format ``quoted``) when it
    looks like a formula, so editing the cell later does not run it either."""
    sheet.write_string(row, column, text, quoted if looks_like_formula(text) else style)


def xlsx_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A workbook of one sheet: ``title`` on top, the header, then ``rows``
    with numbers as numbers, dates as dates and text never run as a formula."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {**WORKBOOK_OPTIONS, "constant_memory": True}) as book:
        sheet = book.add_worksheet(title.translate(_SHEET_NAME)[:31] or "Lembar")
        bold, quoted = book.add_format({"bold": True}), book.add_format({"quote_prefix": True})
        dated = book.add_format({"num_format": "DD/MM/YYYY"})
        sheet.write_string(0, 0, title, bold)
        for column, name in enumerate(columns):
            sheet.write_string(2, column, name, bold)
        for row, values in enumerate(rows, start=3):
            for column, value in enumerate(values):
                _write_cell(sheet, row, column, value, quoted, dated)
    return buffer.getvalue()


_SHEET_NAME = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


def _write_cell(
    sheet: Worksheet, row: int, column: int, value: object, quoted: Format, dated: Format
) -> None:
    if value is None:
        return
    if isinstance(value, bool | int | float):
        sheet.write_number(row, column, value)
    elif isinstance(value, date):
        moment = value if isinstance(value, datetime) else datetime.combine(value, time())
        sheet.write_datetime(row, column, moment, dated)
    else:
        write_text(sheet, row, column, str(value), None, quoted)


def xlsx_response(
    filename: str, title: str, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> Response:
    """The download of :func:`xlsx_table` as ``filename``."""
    response = Response(xlsx_table(title, columns, rows), mimetype=XLSX_MEDIA_TYPE)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
