"""``phpnet backup DIR``: a consistent online copy of the database and documents.

The copy is taken while the app keeps running (security.md R7):

1. the database first, as one consistent snapshot: SQLite's online backup
   API (never a plain file copy, which in WAL mode misses committed pages),
   or ``pg_dump -Fc`` on PostgreSQL, pinned to a snapshot that the row
   counts and the document list are read from too;
2. then the documents folder. A document's file is saved before its row is
   committed, so every row in the snapshot already has its file: copying
   the files afterwards makes the files a superset of the rows;
3. last ``manifest.json``: the time, the row count of every table, and every
   document of the snapshot with its sha256 checked against the copied file.

The backup is built in a hidden ``.partial`` folder and renamed into place
only when complete, so a folder named ``phpnet-<time>`` is always whole."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import Connection, func, inspect, select, table, text
from sqlalchemy.engine import URL

from phpnet.extensions import db

SQLITE_FILE = "phpnet.sqlite3"
POSTGRES_FILE = "database.dump"
DOCUMENTS_FOLDER = "documents"
MANIFEST_FILE = "manifest.json"
CHUNK_BYTES = 1024 * 1024


class BackupError(click.ClickException):
    """A backup that could not be made, or is incomplete (exit code 1)."""


@dataclass(frozen=True)
class DocumentRow:
    id: int
    storage_name: str
    sha256: str
    size_bytes: int


@dataclass(frozen=True)
class Snapshot:
    """What the database held at the moment of the copy."""

    database_file: str
    row_counts: dict[str, int]
    documents: list[DocumentRow]


@click.command("backup")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(directory: Path) -> None:
    """Cadangkan basis data dan dokumen ke DIREKTORI saat aplikasi berjalan."""
    target = make_backup(directory)
    click.echo(f"Cadangan selesai: {target}")


def make_backup(directory: Path, now: datetime | None = None) -> Path:
    """Back up into ``directory/phpnet-<UTC time>`` and return that folder."""
    moment = now or datetime.now(UTC)
    final = directory / f"phpnet-{moment:%Y%m%dT%H%M%SZ}"
    if final.exists():
        raise BackupError(f"{final} sudah ada; tunggu sedetik lalu ulangi.")
    partial = directory / f".{final.name}.partial"
    directory.mkdir(parents=True, exist_ok=True)
    partial.mkdir(mode=0o700)  # password hashes and documents: the owner only
    try:
        snapshot = _copy_database(partial)
        documents = Path(current_app.config["DOCUMENTS_PATH"])
        _copy_tree(documents, partial / DOCUMENTS_FOLDER)
        checked, problems = _check_documents(snapshot.documents, partial / DOCUMENTS_FOLDER)
        _write_manifest(partial, moment, snapshot, checked, problems)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    partial.rename(final)
    if problems:
        raise BackupError(
            f"Cadangan dibuat di {final}, tetapi {len(problems)} dokumen hilang atau rusak "
            f"di folder dokumen (lihat 'problems' di {MANIFEST_FILE})."
        )
    return final


def _copy_database(target: Path) -> Snapshot:
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        return _copy_sqlite(Path(url.database or ""), target / SQLITE_FILE)
    if url.get_backend_name() == "postgresql":
        return _dump_postgres(url, target / POSTGRES_FILE)
    raise BackupError(f"Basis data {url.get_backend_name()} tidak didukung untuk pencadangan.")


def _copy_sqlite(source: Path, copy: Path) -> Snapshot:
    """SQLite's online backup API, in one step: it reads one consistent
    snapshot while writers in WAL mode carry on."""
    if not source.is_file():
        raise BackupError(f"Berkas basis data {source} tidak ditemukan.")
    with _sqlite(source) as live, _sqlite(copy) as duplicate:
        live.backup(duplicate)
        duplicate.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        status = duplicate.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok":
            raise BackupError(f"Salinan basis data rusak: {status}")
        tables = [
            name
            for (name,) in duplicate.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        counts = {t: duplicate.execute(_count_sql(t)).fetchone()[0] for t in tables}
        documents = [
            DocumentRow(*row)
            for row in duplicate.execute(
                "SELECT id, storage_name, sha256, size_bytes FROM document ORDER BY id"
            )
        ]
    return Snapshot(copy.name, counts, documents)


def _count_sql(table_name: str) -> str:
    quoted = '"' + table_name.replace('"', '""') + '"'
    return f"SELECT count(*) FROM {quoted}"  # noqa: S608 - a name from the schema, quoted


@contextmanager
def _sqlite(database: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(database, timeout=30)
    try:
        yield connection
    finally:
        connection.close()


def _dump_postgres(url: URL, dump: Path) -> Snapshot:
    """``pg_dump -Fc`` of a snapshot exported from a repeatable-read
    transaction, which also gives the row counts and the documents, so the
    manifest describes exactly what the dump holds."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError(
            "pg_dump tidak ditemukan. Pasang klien PostgreSQL (Debian: apt-get install "
            "postgresql-client) dengan versi yang sama atau lebih baru dari server."
        )
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        snapshot_id = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        _run_pg_dump(pg_dump, url, snapshot_id, dump)
        counts = _postgres_counts(conn)
        documents = [
            DocumentRow(*row)
            for row in conn.execute(
                text("SELECT id, storage_name, sha256, size_bytes FROM document ORDER BY id")
            )
        ]
        conn.rollback()
    return Snapshot(dump.name, counts, documents)


def _run_pg_dump(pg_dump: str, url: URL, snapshot_id: str, dump: Path) -> None:
    # The password goes through the environment, not the command line (ps).
    libpq_url = url.set(drivername="postgresql", password=None)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    command = [
        pg_dump,
        "--format=custom",
        f"--snapshot={snapshot_id}",
        f"--file={dump}",
        f"--dbname={libpq_url.render_as_string(hide_password=False)}",
    ]
    result = subprocess.run(  # noqa: S603 - fixed program, no shell
        command, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump gagal: {result.stderr.strip()}")


def _postgres_counts(conn: Connection) -> dict[str, int]:
    tables = sorted(inspect(conn).get_table_names())
    return {
        name: conn.execute(select(func.count()).select_from(table(name))).scalar_one()
        for name in tables
    }


def _copy_tree(source: Path, target: Path) -> None:
    """Copy the documents folder. Files may come and go meanwhile (uploads,
    the orphan sweeper); one that vanishes was not in the snapshot's rows."""
    target.mkdir()
    if not source.is_dir():
        return
    for folder, _dirs, files in os.walk(source):
        relative = Path(folder).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in files:
            try:
                shutil.copy2(Path(folder) / name, target / relative / name)
            except FileNotFoundError:
                continue


def _check_documents(
    rows: list[DocumentRow], copied: Path
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each document row of the snapshot against its copied file: the files
    are found by their server-made name, wherever they sit in the folder."""
    files = {path.name: path for path in copied.rglob("*") if path.is_file()}
    checked, problems = [], []
    for row in rows:
        path = files.get(row.storage_name)
        entry: dict[str, Any] = {
            "id": row.id,
            "path": str(path.relative_to(copied.parent)) if path else None,
            "sha256": row.sha256,
            "size_bytes": row.size_bytes,
        }
        if path is None:
            problems.append({**entry, "problem": "berkas tidak ada"})
        elif _sha256(path) != row.sha256:
            problems.append({**entry, "problem": "sha256 tidak cocok"})
        else:
            checked.append(entry)
    return checked, problems


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _write_manifest(
    folder: Path,
    moment: datetime,
    snapshot: Snapshot,
    checked: list[dict[str, Any]],
    problems: list[dict[str, Any]],
) -> None:
    manifest = {
        "created_at": moment.isoformat(timespec="seconds"),
        "database": {"backend": db.engine.url.get_backend_name(), "file": snapshot.database_file},
        "row_counts": snapshot.row_counts,
        "documents": checked,
        "problems": problems,
    }
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
