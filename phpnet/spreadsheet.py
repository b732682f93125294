"""Spreadsheet cells that show user text as typed and never run it as a
formula (security.md D-export), for the CSV and XLSX exports of core and
plugins alike."""

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
