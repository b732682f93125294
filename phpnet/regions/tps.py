"""TPS (polling stations): import from the office's own CSV (generation of
realistic TPS for demos and benchmarks: tps_generate.py).

There is no public TPS list, so each KPU Kabupaten/Kota imports its own sheet.
An import is all or nothing: every bad line is reported with its number and a
reason, and a single bad line means nothing is written. Both the import and
the generator write with bulk Core statements in the caller's transaction (the
caller commits) and leave one summary entry in the audit log."""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import bindparam, insert, select, update

from phpnet.audit.service import record
from phpnet.extensions import db
from phpnet.forms import strip_text
from phpnet.regions.models import Desa, Regency, Tps
from phpnet.tenancy import across_regencies

MAX_IMPORT_BYTES = 10 * 1024 * 1024  # the whole province's 120,666 TPS fit in about 6 MB
MAX_TPS_NUMBER = 999
MAX_VOTERS = 9_999
MAX_ADDRESS_LENGTH = 255  # Tps.address
MAX_PROBLEMS_SHOWN = 200
REQUIRED_COLUMNS = ("kode_desa", "nomor_tps")
OPTIONAL_COLUMNS = ("alamat", "jumlah_pemilih")
HEADER_EXAMPLE = ",".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)


_DESA_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}|\d{10}")
_INSERT_CHUNK = 10_000
_TPS_COLUMNS = ("desa_id", "kecamatan_id", "regency_id", "number", "address", "voter_count")


# --- import ------------------------------------------------------------------


class DesaRef(NamedTuple):
    id: int
    code: str
    name: str
    kecamatan_id: int
    regency_id: int


@dataclass(frozen=True)
class ImportProblem:
    """One reason a file was refused; ``line`` is None for the whole file."""

    line: int | None
    message: str


class TpsRow(NamedTuple):  # a tuple: a province file has 120,666 of them
    line: int
    desa: DesaRef
    number: int
    address: str | None  # None: keep what is stored
    voter_count: int | None  # None: keep what is stored


@dataclass
class ImportReport:
    rows: list[TpsRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    def refuse(self, line: int | None, message: str) -> None:
        self.problems.append(ImportProblem(line, message))

    @property
    def problems_shown(self) -> list[ImportProblem]:
        return self.problems[:MAX_PROBLEMS_SHOWN]


@dataclass(frozen=True)
class ImportSummary:
    inserted: int
    updated: int
    unchanged: int

    @property
    def message(self) -> str:
        return (
            f"Impor TPS selesai: {self.inserted} ditambahkan, {self.updated} diperbarui, "
            f"{self.unchanged} tidak berubah."
        )


def _decode(data: bytes, report: ImportReport) -> str | None:
    if len(data) > MAX_IMPORT_BYTES:
        report.refuse(None, f"Berkas terlalu besar (maksimal {MAX_IMPORT_BYTES // 2**20} MB).")
        return None
    if data.startswith(codecs.BOM_UTF8):  # Excel's "CSV UTF-8" starts with a BOM
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        report.refuse(
            line,
            "Berkas bukan teks UTF-8. Simpan ulang dari Excel sebagai "
            "“CSV UTF-8 (dipisahkan koma)”.",
        )
        return None
    if not text.strip():
        report.refuse(None, "Berkas kosong.")
        return None
    return text


def _delimiter(text: str) -> str:
    """Excel in an Indonesian locale saves CSV with semicolons: accept both."""
    first_line = text.lstrip().partition("\n")[0]
    return ";" if ";" in first_line and "," not in first_line else ","


def _read_header(line: int, header: list[str], report: ImportReport) -> list[str] | None:
    names = [name.strip().lower() for name in header]
    if not all(column in names for column in REQUIRED_COLUMNS):
        report.refuse(
            line,
            f"Baris judul tidak ditemukan: baris pertama harus berisi nama kolom "
            f"{HEADER_EXAMPLE} (alamat dan jumlah_pemilih boleh tidak ada).",
        )
        return None
    for name in dict.fromkeys(names):
        if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            report.refuse(line, f"Kolom tidak dikenal: “{name}”. Kolom yang sah: {HEADER_EXAMPLE}.")
        elif names.count(name) > 1:
            report.refuse(line, f"Kolom “{name}” muncul lebih dari sekali.")
    return None if report.problems else names


def _records(text: str, report: ImportReport) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each non-blank record, header included."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for cells in reader:
            if "".join(cells).strip():  # not a blank record
                yield reader.line_num, cells
    except csv.Error as error:
        report.refuse(reader.line_num, f"Baris tidak dapat dibaca sebagai CSV ({error}).")


def _integer(text: str, minimum: int, maximum: int) -> int | None:
    text = text.strip()
    if not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


class _RowReader:
    """Checks the data rows against the desa of the province and each other.
    A province file has 120,666 rows: each is read from its cells by column
    position, with no per-row dict or code reformatting."""

    def __init__(self, regency: Regency | None, report: ImportReport, columns: list[str]) -> None:
        self.regency = regency
        self.report = report
        # By the code's digits: a file may write 35.07.01.2001 or 3507012001.
        # The whole province (public Kemendagri codes), so that a desa of
        # another regency is named as such rather than as unknown.
        with across_regencies():
            self.desa_by_digits = {
                row.code.replace(".", ""): DesaRef(*row)
                for row in db.session.execute(
                    select(Desa.id, Desa.code, Desa.name, Desa.kecamatan_id, Desa.regency_id)
                ).tuples()
            }
        self.first_line: dict[tuple[int, int], int] = {}
        self.desa_at = columns.index("kode_desa")
        self.number_at = columns.index("nomor_tps")
        self.address_at = columns.index("alamat") if "alamat" in columns else None
        self.voters_at = columns.index("jumlah_pemilih") if "jumlah_pemilih" in columns else None

    def read(self, line: int, cells: list[str]) -> None:
        problems_before = len(self.report.problems)
        desa = self._desa(line, cells[self.desa_at])
        number = self._number(line, cells[self.number_at])
        address = self._address(line, "" if self.address_at is None else cells[self.address_at])
        voters = self._voters(line, "" if self.voters_at is None else cells[self.voters_at])
        if desa is None or number is None:
            return
        key = (desa.id, number)
        if key in self.first_line:
            self.report.refuse(
                line,
                f"TPS {number} desa/kelurahan {desa.code} sudah ada di baris "
                f"{self.first_line[key]}.",
            )
            return
        self.first_line[key] = line
        if len(self.report.problems) == problems_before:
            self.report.rows.append(TpsRow(line, desa, number, address, voters))

    def _desa(self, line: int, raw: str) -> DesaRef | None:
        code = raw.strip()
        if not _DESA_CODE.fullmatch(code):
            self.report.refuse(
                line,
                f"Kode desa “{code}” tidak sah (contoh: 35.07.01.2001 atau 3507012001).",
            )
            return None
        desa = self.desa_by_digits.get(code.replace(".", ""))
        if desa is None:
            self.report.refuse(line, f"Desa/kelurahan dengan kode {code} tidak ada.")
        elif self.regency is not None and desa.regency_id != self.regency.id:
            self.report.refuse(
                line,
                f"Desa/kelurahan {desa.code} ({desa.name}) tidak termasuk {self.regency.name}.",
            )
            return None
        return desa

    def _number(self, line: int, raw: str) -> int | None:
        number = _integer(raw, 1, MAX_TPS_NUMBER)
        if number is None:
            self.report.refuse(
                line,
                f"Nomor TPS “{raw.strip()}” harus bilangan bulat positif "
                f"(1 sampai {MAX_TPS_NUMBER}).",
            )
        return number

    def _address(self, line: int, raw: str) -> str | None:
        # The same cleaning as every form field; the usual plain ASCII cell
        # without NUL needs only the trim (a province file has 120,666 rows).
        address = raw.strip() if raw.isascii() and "\x00" not in raw else strip_text(raw)
        if len(address) > MAX_ADDRESS_LENGTH:
            self.report.refuse(
                line,
                f"Alamat terlalu panjang ({len(address)} karakter, maksimal {MAX_ADDRESS_LENGTH}).",
            )
        return address or None

    def _voters(self, line: int, raw: str) -> int | None:
        if not raw.strip():
            return None
        voters = _integer(raw, 0, MAX_VOTERS)
        if voters is None:
            self.report.refuse(
                line,
                f"Jumlah pemilih “{raw.strip()}” harus bilangan bulat tidak negatif "
                f"(0 sampai {MAX_VOTERS}).",
            )
        return voters


def read_tps_csv(data: bytes, regency: Regency | None = None) -> ImportReport:
    """Check a TPS file; with ``regency``, every desa must belong to it.
    The report lists the rows to write, or the problems (then no rows count)."""
    report = ImportReport()
    text = _decode(data, report)
    if text is None:
        return report
    records = _records(text, report)
    header_line, header = next(records, (1, []))
    columns = _read_header(header_line, header, report)
    if columns is None:
        return report
    rows = _RowReader(regency, report, columns)
    for line, cells in records:
        if len(cells) != len(columns):
            report.refuse(
                line, f"Jumlah kolom {len(cells)}, seharusnya {len(columns)} ({','.join(columns)})."
            )
            continue
        rows.read(line, cells)
    if not report.problems and not report.rows:
        report.refuse(2, "Berkas tidak berisi baris TPS (hanya baris judul).")
    if report.problems:
        report.rows.clear()
    return report


class _StoredTps(NamedTuple):
    id: int
    address: str | None
    voter_count: int | None


def apply_tps_import(
    report: ImportReport, regency: Regency | None, source: str | None = None
) -> ImportSummary:
    """Write a clean report: update the (desa, number) pairs that exist, insert
    the others. An empty cell or a missing column keeps the stored value."""
    if report.problems:
        raise ValueError("a report with problems is never imported")
    regency_ids = {row.desa.regency_id for row in report.rows}
    stored = {
        (desa_id, number): _StoredTps(tps_id, address, voters)
        for tps_id, desa_id, number, address, voters in db.session.execute(
            select(Tps.id, Tps.desa_id, Tps.number, Tps.address, Tps.voter_count).where(
                Tps.regency_id.in_(regency_ids)
            )
        ).tuples()
    }
    inserts: list[tuple[Any, ...]] = []
    updates: list[dict[str, Any]] = []
    unchanged = 0
    for row in report.rows:
        current = stored.get((row.desa.id, row.number))
        if current is None:
            inserts.append(_new_tps(row.desa, row.number, row.address, row.voter_count))
            continue
        address = row.address if row.address is not None else current.address
        voters = row.voter_count if row.voter_count is not None else current.voter_count
        if (address, voters) == (current.address, current.voter_count):
            unchanged += 1
        else:
            updates.append({"tps_id": current.id, "new_address": address, "new_voters": voters})
    insert_tps(inserts)
    if updates:
        table = Tps.__table__
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("tps_id"))
            .values(address=bindparam("new_address"), voter_count=bindparam("new_voters")),
            updates,
        )
    summary = ImportSummary(len(inserts), len(updates), unchanged)
    record(
        "tps_import",
        "tps",
        regency_id=regency.id if regency else None,
        after={"file": source, "rows": len(report.rows), **summary.__dict__},
    )
    return summary


def _new_tps(
    desa: DesaRef, number: int, address: str | None, voters: int | None
) -> tuple[Any, ...]:
    """The values of a new TPS, in _TPS_COLUMNS order."""
    return (desa.id, desa.kecamatan_id, desa.regency_id, number, address, voters)


def insert_tps(rows: list[tuple[Any, ...]]) -> None:
    """Insert ``rows`` (values in _TPS_COLUMNS order) with the driver's own
    executemany: SQLAlchemy's processing of a dict per row cost half as much
    as the database's work for the province's 120,666 TPS. Drivers that take
    named parameters (psycopg) get dicts."""
    if not rows:
        return
    connection = db.session.connection()
    compiled = insert(Tps.__table__).compile(
        dialect=connection.dialect, column_keys=list(_TPS_COLUMNS)
    )
    if compiled.positional:
        order = [_TPS_COLUMNS.index(name) for name in compiled.positiontup or ()]
        if order != list(range(len(_TPS_COLUMNS))):
            rows = [tuple(row[i] for i in order) for row in rows]
        parameters: list[Any] = rows
    else:
        parameters = [dict(zip(_TPS_COLUMNS, row, strict=True)) for row in rows]
    for start in range(0, len(parameters), _INSERT_CHUNK):
        connection.exec_driver_sql(compiled.string, parameters[start : start + _INSERT_CHUNK])
