"""Engine settings that make SQLite safe for a busy office server.

SQLite runs in WAL mode with foreign keys on and a busy timeout, and write
transactions begin IMMEDIATE: a deferred transaction that reads and then writes
fails at once with "database is locked" when another writer committed in
between, which busy_timeout cannot help (security.md R3). Requests with a safe
method never write, so they keep deferred transactions and read concurrently.

:func:`data_stamp` lets a worker keep what nearly every request reads (the
regency, its plugins) between requests: the stamp changes whenever any
connection, in this worker or another process, may have committed."""

import itertools
from collections.abc import Hashable
from typing import Any

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url

from phpnet.extensions import db

BUSY_TIMEOUT_MS = 10_000
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Numbers for each new SQLite connection: PRAGMA data_version only compares
# within one connection.
_connection_serials = itertools.count(1)
# Commits made in this process: PRAGMA data_version does not count a
# connection's own commits.
_local_commits = itertools.count(1)
_last_local_commit = [0]
_STAMP_KEY = "\0stamp"


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
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        record.info["serial"] = next(_connection_serials)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        reading = has_request_context() and request.method in READ_ONLY_METHODS
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    @event.listens_for(engine, "commit")
    def _on_commit(_connection: Any) -> None:
        _last_local_commit[0] = next(_local_commits)
        if has_app_context():
            g.pop("data_stamp", None)  # what this request reads next is new


def data_stamp() -> Hashable | None:
    """A value that differs from every earlier one once anything may have been
    committed to the database since: by this process (counted at each commit)
    or by any other connection (SQLite's ``PRAGMA data_version``, one cheap
    read of shared memory). Read once per request. None where there is no such
    stamp (PostgreSQL): callers then read the database every time."""
    if "data_stamp" in g:
        return g.data_stamp
    connection = db.session.connection()
    stamp: Hashable | None = None
    if connection.dialect.name == "sqlite":
        version = connection.exec_driver_sql("PRAGMA data_version").scalar()
        serial = connection.connection.info["serial"]
        stamp = (serial, version, _last_local_commit[0])
    g.data_stamp = stamp
    return stamp


def worker_cache(name: str) -> dict[Any, Any] | None:
    """A dict this worker keeps between requests under ``name``, emptied as
    soon as :func:`data_stamp` changes; None when nothing may be kept. Keep
    plain values or detached copies in it, never the request's own objects."""
    stamp = data_stamp()
    if stamp is None:
        return None
    caches: dict[str, Any] = current_app.extensions.setdefault("phpnet_worker_cache", {})
    if caches.get(_STAMP_KEY) != stamp:
        caches.clear()
        caches[_STAMP_KEY] = stamp
    return caches.setdefault(name, {})


def forget_data_stamp() -> None:
    """After a change made in this request but not committed yet: later
    reads of this request must not come from a worker's copies."""
    g.data_stamp = None
