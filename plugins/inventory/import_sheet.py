"""Reading an uploaded DIM sheet (XLSX or CSV) into numbered rows of cells,
and finding its header; what is wrong goes into the :class:`ImportReport`,
by row and column, with an Indonesian reason."""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from plugins.inventory.columns import (
    COLUMN_BY_HEADER,
    REQUIRED_HEADERS,
    header_key,
    undo_csv_escape,
)

# A zip that unpacks to far more than its rows can need is refused unread.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PROBLEMS_SHOWN = 200
HEADER_SEARCH_ROWS = 10  # the export puts a title and a filter line above the header
_XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class ImportProblem:
    """One reason a file was refused; ``row`` and ``column`` are None for the
    whole file. ``column`` reads like "L (Tanggal)"."""

    row: int | None
    column: str | None
    message: str


@dataclass
class ImportReport:
    rows: list[dict[str, Any]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)  # each row's line in the sheet
    problems: list[ImportProblem] = field(default_factory=list)
    checked: int = 0
    kind: str = ""

    def refuse(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.problems.append(ImportProblem(row, column, message))

    @property
    def problems_shown(self) -> list[ImportProblem]:
        return self.problems[:MAX_PROBLEMS_SHOWN]

    @property
    def rows_with_problems(self) -> int:
        return len({p.row for p in self.problems if p.row is not None})


# --- reading the file ----------------------------------------------------------

Table = Iterator[tuple[int, list[object]]]  # (spreadsheet row number, cells)


def extension(filename: str) -> str:
    return filename.rpartition(".")[2].lower() if "." in filename else ""


def xlsx_table(data: bytes, report: ImportReport) -> Table | None:
    not_xlsx = (
        "Berkas bukan XLSX yang sah. Simpan ulang dari Excel sebagai "
        "“Buku Kerja Excel (.xlsx)”, atau unggah CSV."
    )
    if not data.startswith(_XLSX_MAGIC):
        report.refuse(not_xlsx)
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            report.refuse("Isi berkas XLSX terlalu besar setelah dibuka.")
            return None
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on a broken or foreign zip
        report.refuse(not_xlsx)
        return None
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        report.refuse("Berkas XLSX tidak berisi lembar kerja.")
        return None

    def rows() -> Table:
        try:
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_unescape(cell) for cell in cells]
        finally:
            workbook.close()

    return rows()


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(cell: object) -> object:
    """XLSX text keeps characters XML cannot hold, such as the CR of a line
    break, as ``_x000D_`` (ECMA-376 ST_Xstring); Excel and XlsxWriter write
    them so, and openpyxl reads them back undecoded."""
    if isinstance(cell, str) and "_x" in cell:
        return _OOXML_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), cell)
    return cell


def csv_table(data: bytes, report: ImportReport) -> Table | None:
    if data.startswith(codecs.BOM_UTF8):  # Excel's "CSV UTF-8" starts with a BOM
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        report.refuse(
            "Berkas bukan teks UTF-8. Simpan ulang dari Excel sebagai "
            "“CSV UTF-8 (dipisahkan koma)”, atau unggah XLSX."
        )
        return None
    if "\x00" in text:
        report.refuse("Berkas bukan CSV (berisi data biner).")
        return None
    first_line = text.lstrip().partition("\n")[0]
    # Excel in an Indonesian locale saves CSV with semicolons: accept both.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows() -> Table:
        number = 0
        try:
            for cells in reader:
                number += 1  # a record is one spreadsheet row, even with line breaks inside
                yield number, [undo_csv_escape(cell) for cell in cells]
        except csv.Error as error:
            report.refuse(f"Baris tidak dapat dibaca sebagai CSV ({error}).", number + 1)

    return rows()


def is_blank(cells: list[object]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def find_header(table: Table, report: ImportReport) -> dict[str, int] | None:
    """The position of each known column, from the first row within the first
    few that names the required columns."""
    required = {header_key(h) for h in REQUIRED_HEADERS}
    for number, cells in table:
        names = [header_key(str(c)) if c is not None else "" for c in cells]
        if required <= set(names):
            return _read_header(number, names, report)
        if number >= HEADER_SEARCH_ROWS:
            break
    report.refuse(
        f"Baris judul kolom tidak ditemukan di {HEADER_SEARCH_ROWS} baris pertama. "
        f"Kolom wajib: {', '.join(REQUIRED_HEADERS)}. Pakai berkas hasil ekspor sebagai contoh."
    )
    return None


def _read_header(number: int, names: list[str], report: ImportReport) -> dict[str, int] | None:
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        if not name:
            continue
        where = f"{get_column_letter(index + 1)} ({name})"
        column = COLUMN_BY_HEADER.get(name)
        if column is None:
            report.refuse(f"Kolom tidak dikenal: “{name}”.", number, where)
        elif column.key in positions:
            report.refuse(f"Kolom “{column.header}” muncul lebih dari sekali.", number, where)
        else:
            positions[column.key] = index
    return None if report.problems else positions
