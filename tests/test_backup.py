"""``phpnet backup``: a restore drill with writers running, and the errors
an administrator must see (security.md R7)."""

import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, func, select, table, text
from sqlalchemy.engine import make_url

from phpnet import backup
from phpnet.audit.models import AuditEntry
from phpnet.documents.models import Document
from phpnet.extensions import db

WRITES_BEFORE_BACKUP = 5
WRITES_AFTER_BACKUP = 5


def add_document(app: Flask, number: int) -> None:
    """Save a document the way phpnet does: the file first, then its row
    (with its audit entry) in one transaction."""
    content = f"dokumen uji nomor {number}\n".encode() * (number + 1)
    storage_name = uuid.uuid4().hex
    path = Path(app.config["DOCUMENTS_PATH"]) / storage_name[:2] / storage_name[2:4] / storage_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    db.session.add(
        Document(
            original_name=f"bukti-{number}.pdf",
            media_type="application/pdf",
            size_bytes=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            storage_name=storage_name,
        )
    )
    db.session.commit()


class Writer:
    """A thread that keeps committing documents until stopped."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.committed = 0
        self.errors: list[BaseException] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with self.app.app_context():
            try:
                while not self._stop.is_set():
                    add_document(self.app, self.committed)
                    self.committed += 1
            except BaseException as error:  # reported by the test, not lost in the thread
                self.errors.append(error)
            finally:
                db.session.remove()

    def start(self) -> None:
        self._thread.start()

    def wait_for(self, count: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while self.committed < count and not self.errors:
            assert time.monotonic() < deadline, "the writer made no progress"
            time.sleep(0.005)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


def document_count() -> int:
    return db.session.execute(select(func.count()).select_from(Document)).scalar_one()


@pytest.fixture
def restore_engines(app: Flask) -> Iterator[list[Engine]]:
    """Engines of restored databases, disposed (and dropped on PostgreSQL) after the test."""
    engines: list[Engine] = []
    yield engines
    for engine in engines:
        engine.dispose()
        if engine.dialect.name == "postgresql":
            with _postgres_admin().connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{engine.url.database}" WITH (FORCE)'))


def _postgres_admin() -> Engine:
    return create_engine(db.engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")


def restore(folder: Path, workdir: Path, engines: list[Engine]) -> Engine:
    """Restore a backup the way an administrator would, into a fresh place."""
    if (folder / backup.SQLITE_FILE).exists():
        workdir.mkdir()
        database = workdir / "phpnet.sqlite3"
        shutil.copyfile(folder / backup.SQLITE_FILE, database)
        with sqlite3.connect(database) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        engine = create_engine(f"sqlite:///{database}")
    else:
        name = f"phpnet_restore_{uuid.uuid4().hex[:8]}"
        with _postgres_admin().connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = db.engine.url.set(database=name)
        engine = create_engine(url)
        libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
        pg_restore = shutil.which("pg_restore")
        assert pg_restore is not None, "pg_restore is part of the PostgreSQL client"
        subprocess.run(  # noqa: S603 - fixed program, no shell
            [
                pg_restore,
                "--exit-on-error",
                "--no-owner",
                f"--dbname={libpq}",
                folder / "database.dump",
            ],
            check=True,
            capture_output=True,
        )
    engines.append(engine)
    return engine


def test_restore_drill_with_writers_running(app, tmp_path, restore_engines):
    writer = Writer(app)
    writer.start()
    writer.wait_for(WRITES_BEFORE_BACKUP)
    before = writer.committed
    folder = backup.make_backup(tmp_path / "cadangan")
    during = writer.committed
    writer.wait_for(during + WRITES_AFTER_BACKUP)
    writer.stop()
    assert writer.errors == []

    manifest = json.loads((folder / backup.MANIFEST_FILE).read_text())
    engine = restore(folder, tmp_path / "pulih", restore_engines)
    with engine.connect() as conn:
        for name, count in manifest["row_counts"].items():
            rows = conn.execute(select(func.count()).select_from(table(name))).scalar_one()
            assert (name, rows) == (name, count)
        documents = conn.execute(select(Document.storage_name, Document.sha256)).all()
        audited = conn.execute(
            select(func.count()).where(
                AuditEntry.object_type == "document", AuditEntry.action == "create"
            )
        ).scalar_one()

    # A consistent snapshot: taken while the writer ran, each document with
    # its audit entry (same transaction), and every file there and intact.
    assert before <= len(documents) <= during
    assert len(documents) < document_count()
    assert audited == len(documents)
    copied = {path.name: path for path in (folder / "documents").rglob("*") if path.is_file()}
    for storage_name, sha256 in documents:
        assert hashlib.sha256(copied[storage_name].read_bytes()).hexdigest() == sha256
    assert len(manifest["documents"]) == len(documents)
    assert manifest["problems"] == []


def test_the_command_names_the_folder_and_leaves_nothing_half_made(app, tmp_path):
    add_document(app, 1)
    target = tmp_path / "cadangan"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    folders = [p.name for p in target.iterdir()]
    assert len(folders) == 1
    assert re.fullmatch(r"phpnet-\d{8}T\d{6}Z", folders[0])
    assert folders[0] in result.output
    manifest = json.loads((target / folders[0] / "manifest.json").read_text())
    assert manifest["row_counts"]["document"] == 1
    assert manifest["row_counts"]["regency"] == 38
    assert (
        manifest["documents"][0]["sha256"]
        == db.session.execute(select(Document.sha256)).scalar_one()
    )


def test_a_missing_or_damaged_document_file_is_reported(app, tmp_path):
    add_document(app, 1)
    add_document(app, 2)
    names = db.session.execute(select(Document.storage_name).order_by(Document.id)).scalars()
    missing, damaged = names
    documents = Path(app.config["DOCUMENTS_PATH"])
    (documents / missing[:2] / missing[2:4] / missing).unlink()
    (documents / damaged[:2] / damaged[2:4] / damaged).write_bytes(b"diubah")

    target = tmp_path / "cadangan"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])

    assert result.exit_code == 1
    assert "2 dokumen hilang atau rusak" in result.output
    (folder,) = target.iterdir()
    problems = json.loads((folder / "manifest.json").read_text())["problems"]
    assert [p["problem"] for p in problems] == ["berkas tidak ada", "sha256 tidak cocok"]


def test_without_pg_dump_the_error_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    url = make_url("postgresql+psycopg://postgres@127.0.0.1:54329/phpnet")
    with pytest.raises(backup.BackupError, match=r"pg_dump tidak ditemukan.*postgresql-client"):
        backup._dump_postgres(url, tmp_path / "database.dump")
