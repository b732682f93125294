"""The columns of the DIM sheet, in the order a KPU office keeps them.

One layout serves the XLSX and CSV exports, the print view and the import, so
an exported file always imports back. Locations are written by name (for the
reader) and by Kemendagri code plus TPS number (for the import: names change,
codes do not); enums by their Indonesian label; category and person in charge
by name."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from phpnet.plugin_api import Regency, csv_text
from plugins.inventory.models import Level

# Cells a spreadsheet would run as a formula (security.md D-export).
DATE_FORMAT = "%d/%m/%Y"  # as an Indonesian Excel shows dates
TIME_FORMAT = "%H:%M"
LONG_TEXT_MAX = 10_000  # the Text columns (uraian, isi rekomendasi, catatan)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int  # XLSX column width, in characters
    wrap: bool = False  # long text: wrapped in the sheet
    imported: bool = True  # False: written for the reader, ignored on import
    required: bool = False  # the import needs a value in every row
    max_length: int | None = None  # the database column's length


COLUMNS: tuple[Column, ...] = (
    Column("number", "No", 6, imported=False),
    Column("regency", "Kab/Kota", 18, imported=False),
    Column("kecamatan", "Kecamatan", 18, imported=False),
    Column("desa", "Desa/Kelurahan", 18, imported=False),
    Column("region_code", "Kode wilayah", 15),
    Column("tps", "TPS", 6),
    Column("level", "Tingkat", 18),
    Column("race", "Jenis pemilihan", 20, required=True),
    Column("dapil", "Dapil", 14, max_length=100),
    Column("stage", "Tahapan", 20, required=True),
    Column("category", "Kategori", 30, wrap=True, required=True),
    Column("date", "Tanggal", 12, required=True),
    Column("time", "Jam", 7),
    Column(
        "description", "Uraian kejadian", 50, wrap=True, required=True, max_length=LONG_TEXT_MAX
    ),
    Column("objector", "Pihak yang keberatan", 24, wrap=True, max_length=200),
    Column("record_form", "Formulir", 22),
    Column("record_form_number", "Nomor formulir", 16, max_length=100),
    Column("bawaslu_letter_number", "Nomor rekomendasi Bawaslu", 22, max_length=100),
    Column("bawaslu_letter_date", "Tanggal rekomendasi", 12),
    Column("bawaslu_content", "Isi rekomendasi", 40, wrap=True, max_length=LONG_TEXT_MAX),
    Column("follow_up", "Tindak lanjut", 24),
    Column("follow_up_detail", "Keterangan tindak lanjut", 32, wrap=True, max_length=500),
    Column("follow_up_date", "Tanggal tindak lanjut", 12),
    Column("status", "Status", 18),
    Column("vote_difference", "Selisih suara", 9),
    Column("person_in_charge", "Penanggung jawab", 22),
    Column("evidence_count", "Jumlah bukti", 8, imported=False),
    Column("notes", "Catatan", 32, wrap=True, max_length=LONG_TEXT_MAX),
)
HEADERS: tuple[str, ...] = tuple(column.header for column in COLUMNS)
REQUIRED_HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS if c.required)
COLUMN_BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}


def header_key(text: str) -> str:
    """How a header is matched on import: case and spacing do not matter."""
    return " ".join(text.split()).casefold()


COLUMN_BY_HEADER: dict[str, Column] = {header_key(c.header): c for c in COLUMNS}


def region_code(row: Any, regency: Regency) -> str:
    """The code of the entry's own region: desa (also for a TPS), kecamatan or kab/kota."""
    if row.level in (Level.DESA, Level.TPS) and row.desa_code is not None:
        return row.desa_code
    if row.level is Level.KECAMATAN and row.kecamatan_code is not None:
        return row.kecamatan_code
    return regency.code


def entry_values(row: Any, regency: Regency, number: int) -> list[object]:
    """One sheet row, typed (dates, times and numbers stay what they are), in
    the order of COLUMNS, from a row of the exporter's ``SHEET_FIELDS``."""
    values: dict[str, object] = {
        "number": number,
        "regency": regency.name,
        "kecamatan": row.kecamatan_name,
        "desa": row.desa_name,
        "region_code": region_code(row, regency),
        "tps": row.tps_number,
        "level": row.level.label,
        "race": row.race.label,
        "dapil": row.dapil,
        "stage": row.stage.label,
        "category": row.category_name,
        "date": row.occurred_at.date(),
        "time": row.occurred_at.time().replace(second=0, microsecond=0),
        "description": row.description,
        "objector": row.objector,
        "record_form": row.record_form.label,
        "record_form_number": row.record_form_number,
        "bawaslu_letter_number": row.bawaslu_letter_number,
        "bawaslu_letter_date": row.bawaslu_letter_date,
        "bawaslu_content": row.bawaslu_content,
        "follow_up": row.follow_up.label,
        "follow_up_detail": row.follow_up_detail,
        "follow_up_date": row.follow_up_date,
        "status": row.status.label,
        "vote_difference": row.vote_difference,
        "person_in_charge": row.person_name,
        "evidence_count": row.evidence_count,
        "notes": row.notes,
    }
    return [values[column.key] for column in COLUMNS]


def csv_cell(value: object) -> str:
    """A value as CSV text: dates as 14/02/2024, times as 10:30, and text
    that a spreadsheet would run as a formula behind a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, time):
        return value.strftime(TIME_FORMAT)
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, str):
        return csv_text(value)
    return str(value)


def csv_row(values: Iterable[object]) -> list[str]:
    return [csv_cell(value) for value in values]


_APOSTROPHE_FORMULA = re.compile(r"'(?=[=+\-@\t\r\0])")


def undo_csv_escape(text: str) -> str:
    """The text a CSV cell held before :func:`csv_cell` escaped it."""
    return text[1:] if _APOSTROPHE_FORMULA.match(text) else text
