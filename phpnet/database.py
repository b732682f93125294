"""Engine settings that make SQLite safe for a busy office server.

SQLite runs in WAL mode with foreign keys on and a busy timeout, and write
transactions begin IMMEDIATE: a deferred transaction that reads and then writes
fails at once with "database is locked" when another writer committed in
between, which busy_timeout cannot help (security.md R3). Requests with a safe
method never write, so they keep deferred transactions and read concurrently."""

from typing import Any

from flask import has_request_context, request
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url

BUSY_TIMEOUT_MS = 10_000
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def engine_options(uri: str, configured: dict[str, Any]) -> dict[str, Any]:
    """Engine options for ``uri``, keeping what the office configured."""
    options = dict(configured)
    if make_url(uri).get_backend_name() == "sqlite":
        connect_args = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        options["connect_args"] = {**connect_args, **options.get("connect_args", {})}
    return options


def configure_engine(engine: Engine) -> None:
    """Install the SQLite pragmas and BEGIN IMMEDIATE on ``engine``."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        reading = has_request_context() and request.method in READ_ONLY_METHODS
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")
