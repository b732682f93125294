"""Import of a DIM sheet: XLSX or CSV with the export's columns.

All or nothing: every row is checked first, each problem is named by row and
column with an Indonesian reason, and a single bad row means nothing is
written. Locations are looked up in the regency being imported into only, so
a file of another kab/kota is refused row by row. A clean file is written with
bulk inserts in the caller's transaction (the caller commits) and leaves one
summary entry in the audit log. Reading the file is import_sheet's, checking
its rows import_rows'."""

from sqlalchemy import insert, select

from phpnet.plugin_api import Regency, db, record_action, utcnow
from plugins.inventory.import_rows import RowChecker
from plugins.inventory.import_sheet import (
    ImportReport,
    csv_table,
    extension,
    find_header,
    is_blank,
    xlsx_table,
)
from plugins.inventory.models import Entry

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
ACCEPTED_EXTENSIONS = ("xlsx", "csv")
_INSERT_CHUNK = 1_000
IMPORT_ACTION = "inventory_import"  # the audit log's action of an import


# --- the whole file ----------------------------------------------------------------


def read_upload(filename: str, data: bytes, regency: Regency) -> ImportReport:
    """Check an uploaded sheet for ``regency``. The report holds the rows to
    write, or the problems (and then no rows)."""
    report = ImportReport()
    if len(data) > MAX_IMPORT_BYTES:
        report.refuse(f"Berkas terlalu besar (maksimal {MAX_IMPORT_BYTES // 2**20} MB).")
        return report
    report.kind = extension(filename)
    if report.kind == "xlsx":
        table = xlsx_table(data, report)
    elif report.kind == "csv":
        table = csv_table(data, report)
    else:
        report.refuse("Berkas harus XLSX (.xlsx) atau CSV (.csv).")
        return report
    if table is None:
        return report
    positions = find_header(table, report)
    if positions is None:
        return report
    checker = RowChecker(regency, positions, report)
    for number, cells in table:
        if is_blank(cells):
            continue
        if report.checked == MAX_IMPORT_ROWS:
            report.refuse(
                f"Berkas berisi lebih dari {MAX_IMPORT_ROWS:,} baris data; bagi menjadi "
                "beberapa berkas.".replace(",", "."),
                number,
            )
            break
        report.checked += 1
        checker.check(number, cells)
    if not report.problems and not report.checked:
        report.refuse("Berkas tidak berisi baris data (hanya baris judul).")
    _refuse_duplicates(report, regency)
    if report.problems:
        report.rows.clear()
    return report


# What makes an imported row an entry the DIM already has: place, race,
# stage, category, moment and account. A file imported twice must not
# double the DIM.
_IDENTITY = ("level", "kecamatan_id", "desa_id", "tps_id", "race", "stage", "category_id",
             "occurred_at", "description")  # fmt: skip


def _refuse_duplicates(report: ImportReport, regency: Regency) -> None:
    """Refuse rows already in the regency's DIM (one query over the file's
    span of time)."""
    if not report.rows:
        return
    moments = [row["occurred_at"] for row in report.rows]
    columns = [getattr(Entry, key) for key in _IDENTITY]
    stored = db.session.execute(
        select(Entry.id, *columns).where(
            Entry.regency_id == regency.id,
            Entry.deleted_at.is_(None),
            Entry.occurred_at.between(min(moments), max(moments)),
        )
    ).tuples()
    existing = {tuple(found[1:]): found[0] for found in stored}
    for number, row in zip(report.row_numbers, report.rows, strict=True):
        entry_id = existing.get(tuple(row[name] for name in _IDENTITY))
        if entry_id is not None:
            report.refuse(
                f"Kejadian ini sudah ada di DIM (entri #{entry_id}): berkas yang sama "
                "pernah diimpor? Hapus baris ini dari berkas.",
                number,
            )


def apply_import(report: ImportReport, regency: Regency, user_id: int, source: str) -> int:
    """Write a clean report as new entries; return how many."""
    if report.problems:
        raise ValueError("a report with problems is never imported")
    now = utcnow()
    stamp = {
        "regency_id": regency.id,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "created_by_id": user_id,
    }
    rows = [{**row, **stamp} for row in report.rows]
    for start in range(0, len(rows), _INSERT_CHUNK):
        db.session.execute(insert(Entry.__table__), rows[start : start + _INSERT_CHUNK])
    record_action(
        IMPORT_ACTION,
        Entry.__tablename__,
        regency_id=regency.id,
        after={"file": source, "format": report.kind, "entries": len(rows)},
    )
    return len(rows)
