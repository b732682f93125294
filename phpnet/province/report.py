"""The province's report as XLSX: the readiness matrix (one row per regency),
its details, every figure as a table, and the key dates. Written with
XlsxWriter in constant memory; text never becomes a formula."""

import io
from collections.abc import Sequence
from datetime import UTC, datetime

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from phpnet.contrib import Figure
from phpnet.province.charts import table_rows
from phpnet.province.readiness import Matrix
from phpnet.province.schedule import KeyDate
from phpnet.spreadsheet import write_text
from phpnet.timeutil import WIB, utcnow

WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
MAX_SHEET_NAME = 31
FORBIDDEN_IN_SHEET_NAMES = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


class _Writer:
    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.workbook = workbook
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.header = workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EDF2", "border": 1}
        )
        self.text = workbook.add_format({"valign": "top", "text_wrap": True})
        self.quoted = workbook.add_format(
            {"valign": "top", "text_wrap": True, "quote_prefix": True}
        )
        self.date = workbook.add_format({"valign": "top", "num_format": "DD/MM/YYYY"})
        self.names: set[str] = set()

    def sheet(self, name: str) -> Worksheet:
        base = name.translate(FORBIDDEN_IN_SHEET_NAMES)[:MAX_SHEET_NAME].strip() or "Lembar"
        unique, number = base, 2
        while unique.lower() in self.names:
            suffix = f" {number}"
            unique, number = base[: MAX_SHEET_NAME - len(suffix)] + suffix, number + 1
        self.names.add(unique.lower())
        return self.workbook.add_worksheet(unique)

    def row(self, sheet: Worksheet, row: int, values: Sequence[object]) -> None:
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, bool | int | float):
                sheet.write_number(row, col, value)
            elif isinstance(value, datetime):
                sheet.write_string(row, col, value.isoformat())
            elif hasattr(value, "isoformat"):
                sheet.write_datetime(row, col, value, self.date)
            else:
                text = str(value)
                write_text(sheet, row, col, text, self.text, self.quoted)

    def headers(self, sheet: Worksheet, row: int, labels: Sequence[str]) -> None:
        for col, label in enumerate(labels):
            sheet.write_string(row, col, label, self.header)


def _matrix_sheets(writer: _Writer, matrix: Matrix, stamp: str) -> None:
    sheet = writer.sheet("Kesiapan")
    sheet.write_string(0, 0, "Matriks kesiapan KPU Kabupaten/Kota se-Jawa Timur", writer.title)
    sheet.write_string(1, 0, stamp)
    labels = [f"{c.plugin_label}: {c.check.label}" for c in matrix.columns]
    writer.headers(sheet, 3, ["Kode", "Kabupaten/kota", "Skor (%)", *labels])
    sheet.set_column(1, 1, 28)
    sheet.set_column(3, 3 + len(labels), 16)
    for number, row in enumerate(matrix.rows, start=4):
        cells = [cell.label for cell in row.cells]
        writer.row(sheet, number, [row.regency.code, row.regency.name, row.score, *cells])
    details = writer.sheet("Rincian kesiapan")
    writer.headers(details, 0, ["Kode", "Kabupaten/kota", "Modul", "Butir", "Status", "Keterangan"])
    details.set_column(1, 3, 26)
    details.set_column(5, 5, 60)
    line = 1
    for row in matrix.rows:
        for column, cell in zip(matrix.columns, row.cells, strict=True):
            values = [
                row.regency.code, row.regency.name, column.plugin_label, column.check.label,
                cell.label, cell.detail,
            ]  # fmt: skip
            writer.row(details, line, values)
            line += 1


def _figure_sheet(writer: _Writer, figure: Figure) -> None:
    sheet = writer.sheet(figure.title)
    sheet.write_string(0, 0, figure.title, writer.title)
    unit = f" ({figure.unit.strip()})" if figure.unit.strip() else ""
    writer.headers(sheet, 2, ["Kategori", *(s.label for s in figure.series), f"Jumlah{unit}"])
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, len(figure.series) + 1, 14)
    for number, (category, values, total) in enumerate(table_rows(figure), start=3):
        writer.row(sheet, number, [category, *values, total])


def _dates_sheet(writer: _Writer, dates: Sequence[KeyDate]) -> None:
    sheet = writer.sheet("Kalender")
    writer.headers(sheet, 0, ["Kegiatan", "Jenis", "Tanggal", "Hari lagi", "Hari kerja lagi"])
    sheet.set_column(0, 1, 32)
    sheet.set_column(2, 4, 14)
    for number, key in enumerate(dates, start=1):
        values = [key.event.name, key.event.kind.label, key.day, key.days_left]
        writer.row(sheet, number, [*values, key.working_days_left])


def workbook(
    matrix: Matrix, figures: Sequence[Figure], dates: Sequence[KeyDate], user_name: str
) -> bytes:
    target = io.BytesIO()
    book = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    writer = _Writer(book)
    moment = utcnow().replace(tzinfo=UTC).astimezone(WIB)
    stamp = f"Diekspor {moment:%d/%m/%Y %H.%M} WIB oleh {user_name}"
    _matrix_sheets(writer, matrix, stamp)
    for figure in figures:
        _figure_sheet(writer, figure)
    _dates_sheet(writer, dates)
    book.close()
    return target.getvalue()
