"""Batch jobs of phpnet, each against its physical floor (run by bench/run).

- TPS import: the province's 120,666 TPS from CSV through phpnet's import
  (phpnet.regions.tps) into a database with regions and no TPS, against
  sqlite3's executemany of the same rows (reading the same CSV and looking up
  the same desa, with phpnet's pragmas).
- XLSX export: 10,000 DIM entries of one regency through the inventory's
  exporter, against openpyxl's write-only mode writing the same cells.
- XLSX import: 5,000 DIM rows through the inventory's importer into an empty
  regency (no floor: reported as rows per second).

Each job runs on fresh copies of the generated databases; the best of
``--repeat`` runs counts. Prints one JSON line for the runner."""

import argparse
import csv
import io
import json
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import generate  # noqa: E402 - bench/ is not a package

WORK = generate.OUT / "batch"
EXPORT_ENTRIES = 10_000
IMPORT_ROWS = 5_000


def best_of(repeat: int, job: Callable[[], float]) -> float:
    return min(job() for _ in range(repeat))


def fresh_instance(name: str, database: Path) -> Path:
    """A throwaway instance folder holding a copy of ``database``."""
    instance = WORK / name
    shutil.rmtree(instance, ignore_errors=True)
    generate.copy_database(database, instance / generate.DATABASE_NAME)
    shutil.copy(generate.OUT / "base" / "secret_key", instance / "secret_key")
    return instance


def app_for(instance: Path) -> Any:
    return generate.make_app(instance)


# --- TPS ----------------------------------------------------------------------------


def tps_csv() -> bytes:
    """The province's TPS as an office's CSV (kode_desa, nomor_tps, alamat,
    jumlah_pemilih), written from the generated TPS."""
    path = generate.OUT / "tps-province.csv"
    if not path.exists():
        with sqlite3.connect(generate.OUT / "base" / generate.DATABASE_NAME) as connection:
            rows = connection.execute(
                "SELECT d.code, t.number, t.address, t.voter_count FROM tps t "
                "JOIN desa d ON d.id = t.desa_id ORDER BY t.id"
            ).fetchall()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(("kode_desa", "nomor_tps", "alamat", "jumlah_pemilih"))
        writer.writerows(rows)
        path.write_text(buffer.getvalue())
    return path.read_bytes()


def tps_import_phpnet(data: bytes) -> float:
    instance = fresh_instance("tps-phpnet", generate.OUT / "regions-only.sqlite3")
    app = app_for(instance)
    from phpnet.extensions import db
    from phpnet.regions.tps import apply_tps_import, read_tps_csv

    with app.app_context():
        started = time.perf_counter()
        report = read_tps_csv(data)
        if report.problems:
            raise SystemExit(f"TPS import refused the file: {report.problems[:3]}")
        summary = apply_tps_import(report, None, source="tps-province.csv")
        db.session.commit()
        seconds = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    if summary.inserted != 120_666:
        raise SystemExit(f"TPS import inserted {summary.inserted}")
    return seconds


def connect_like_phpnet(database: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(database, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=10000",
                   "synchronous=NORMAL"):  # fmt: skip
        connection.execute(f"PRAGMA {pragma}")
    return connection


def tps_import_floor(data: bytes) -> tuple[float, float]:
    """(read + look up + executemany + commit, executemany + commit alone)."""
    instance = fresh_instance("tps-floor", generate.OUT / "regions-only.sqlite3")
    connection = connect_like_phpnet(instance / generate.DATABASE_NAME)
    started = time.perf_counter()
    desa = {
        code.replace(".", ""): (desa_id, kecamatan_id, regency_id)
        for code, desa_id, kecamatan_id, regency_id in connection.execute(
            "SELECT code, id, kecamatan_id, regency_id FROM desa"
        )
    }
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    next(reader)
    rows = [
        (*desa[code.replace(".", "")], int(number), address or None, int(voters))
        for code, number, address, voters in reader
    ]
    inserting = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        "INSERT INTO tps (desa_id, kecamatan_id, regency_id, number, address, voter_count) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    connection.execute("COMMIT")
    finished = time.perf_counter()
    connection.close()
    return finished - started, finished - inserting


# --- XLSX export and import ------------------------------------------------------------


def export_phpnet(instance: Path) -> tuple[float, bytes]:
    app = app_for(instance)
    from phpnet.extensions import db
    from phpnet.regions.models import Regency, dotted_code
    from plugins.inventory.exporter import write_xlsx
    from plugins.inventory.filters import EntryFilters

    with app.app_context():
        regency = db.session.execute(
            db.select(Regency).filter_by(code=dotted_code(generate.BENCH_REGENCY))
        ).scalar_one()
        target = io.BytesIO()
        started = time.perf_counter()
        count = write_xlsx(regency, EntryFilters(), "Operator Benchmark", target)
        seconds = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    if count != EXPORT_ENTRIES:
        raise SystemExit(f"export wrote {count} entries")
    return seconds, target.getvalue()


def sheet_cells(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def export_floor(cells: list[list[object]]) -> float:
    from openpyxl import Workbook

    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("DIM")
    for row in cells:
        sheet.append(row)
    workbook.save(io.BytesIO())
    return time.perf_counter() - started


def import_file(cells: list[list[object]]) -> bytes:
    """The export cut to its first IMPORT_ROWS entries: the same title,
    header and cells an office would re-import."""
    from openpyxl import Workbook

    from plugins.inventory.exporter import HEADER_ROW

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("DIM")
    for row in cells[: HEADER_ROW + IMPORT_ROWS]:
        sheet.append(row)
    target = io.BytesIO()
    workbook.save(target)
    return target.getvalue()


def import_phpnet(data: bytes) -> float:
    instance = fresh_instance("import-phpnet", generate.OUT / "base" / generate.DATABASE_NAME)
    app = app_for(instance)
    from phpnet.auth.models import User
    from phpnet.extensions import db
    from phpnet.regions.models import Regency, dotted_code
    from plugins.inventory.importer import apply_import, read_upload

    with app.app_context():
        regency = db.session.execute(
            db.select(Regency).filter_by(code=dotted_code(generate.BENCH_REGENCY))
        ).scalar_one()
        user_id = db.session.execute(
            db.select(User.id).filter_by(username=generate.OPERATOR)
        ).scalar_one()
        started = time.perf_counter()
        report = read_upload("dim-3507.xlsx", data, regency)
        if report.problems:
            raise SystemExit(f"import refused the file: {report.problems_shown[:3]}")
        count = apply_import(report, regency, user_id, "dim-3507.xlsx")
        db.session.commit()
        seconds = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    if count != IMPORT_ROWS:
        raise SystemExit(f"import wrote {count} entries")
    return seconds


# --- all jobs ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=50_000)  # for the record only
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 1 if args.quick else 3
    generate.build_base()
    jobs: list[dict[str, Any]] = []
    result: dict[str, Any] = {"jobs": jobs}

    data = tps_csv()
    # phpnet and its floor alternate, so that drift of the machine hits both.
    phpnet_runs, floors = [], []
    for _ in range(repeat):
        phpnet_runs.append(tps_import_phpnet(data))
        floors.append(tps_import_floor(data))
    phpnet_seconds = min(phpnet_runs)
    floor, insert_only = min(f[0] for f in floors), min(f[1] for f in floors)
    result["tps_ratio"] = phpnet_seconds / floor
    jobs.append(
        {
            "label": "TPS import, 120,666 rows (CSV)",
            "seconds": phpnet_seconds,
            "floor": floor,
            "ratio": result["tps_ratio"],
            "floor_label": f"csv + desa lookup + sqlite3 executemany (executemany alone "
            f"{insert_only:.2f} s, ratio {phpnet_seconds / insert_only:.1f})",
        }
    )

    try:
        export_instance = generate.generate(EXPORT_ENTRIES, generate.BENCH_REGENCY)
        seconds, exported = export_phpnet(export_instance)
        cells = sheet_cells(exported)
        floor = export_floor(cells)
        for _ in range(repeat - 1):  # alternating, like the TPS import
            seconds = min(seconds, export_phpnet(export_instance)[0])
            floor = min(floor, export_floor(cells))
        result["export_ratio"] = seconds / floor
        jobs.append(
            {
                "label": f"XLSX export, {EXPORT_ENTRIES:,} DIM rows",
                "seconds": seconds,
                "floor": floor,
                "ratio": result["export_ratio"],
                "floor_label": "openpyxl write-only, same cells",
            }
        )
        upload = import_file(cells)
        seconds = best_of(repeat, lambda: import_phpnet(upload))
        jobs.append(
            {
                "label": f"XLSX import, {IMPORT_ROWS:,} DIM rows "
                f"({IMPORT_ROWS / seconds:,.0f} rows/s)",
                "seconds": seconds,
                "floor_label": "none (all-or-nothing check, then insert)",
            }
        )
    except ImportError as error:  # the inventory's exporter or importer not there yet
        jobs.append(
            {"label": f"XLSX export/import: not available ({error})", "seconds": float("nan")}
        )
    shutil.rmtree(WORK, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
