"""Migrations on a populated database (security.md R6): a database filled at
the previous revision (0002) is upgraded to every head; each table and column
that existed before keeps exactly its rows (counts and sha256 of the values),
the foreign keys hold, and the app works on the result. Also from base: an
empty database to every head, filled, then down to 0002 and up again."""

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from phpnet import create_app
from phpnet.extensions import db
from phpnet.testing import REGENCY_A, IsolatedClient, _build_world, login
from tests.hardening.conftest import make_team

PREVIOUS_REVISION = "0002"


@pytest.fixture
def empty_app(app_config: dict[str, Any], tmp_path: Path) -> Iterator[Flask]:
    """An app on a new, empty database (no tables at all)."""
    server = make_url(app_config["SQLALCHEMY_DATABASE_URI"])
    name = f"phpnet_migration_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    if server.get_backend_name() == "sqlite":
        uri = f"sqlite:///{tmp_path / 'migrasi.sqlite3'}"
    else:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        uri = server.set(database=name).render_as_string(hide_password=False)
    application = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": uri})
    application.test_client_class = IsolatedClient
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()
    if server.get_backend_name() != "sqlite":
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


def fill() -> None:
    """Regions, users, TPS, a team with members, and their audit entries."""
    _build_world()
    make_team(REGENCY_A, "Siti Aminah")


def fingerprint() -> dict[str, tuple[int, str]]:
    """(row count, sha256 of every value in key order) per table and column set."""
    db.session.commit()
    prints = {}
    with db.engine.connect() as connection:  # one connection: SQLite has one writer
        inspector = inspect(connection)
        for table in inspector.get_table_names():
            if table == "alembic_version":
                continue
            columns = sorted(column["name"] for column in inspector.get_columns(table))
            key = inspector.get_pk_constraint(table)["constrained_columns"] or columns
            quoted = ", ".join(f'"{c}"' for c in columns)
            order = ", ".join(f'"{c}"' for c in key)
            statement = f'SELECT {quoted} FROM "{table}" ORDER BY {order}'  # noqa: S608 - names from the schema
            rows = connection.execute(text(statement)).all()
            values = repr([tuple(map(str, row)) for row in rows]).encode()
            prints[f"{table}({','.join(columns)})"] = (
                len(rows),
                hashlib.sha256(values).hexdigest(),
            )
    return prints


def assert_foreign_keys_hold() -> None:
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def assert_the_app_works(app: Flask) -> None:
    page = login(app.test_client(), "operator_a").get(f"/r/{REGENCY_A}/tim/")
    assert page.status_code == 200
    assert "Siti Aminah" in page.get_data(as_text=True)


def test_upgrading_a_populated_database_from_the_previous_revision_loses_nothing(empty_app):
    upgrade(revision=PREVIOUS_REVISION)
    fill()
    before = fingerprint()
    assert sum(count for count, _ in before.values()) > 9_000  # regions, users, TPS, audit

    upgrade(revision="heads")

    after = fingerprint()
    kept = {table: after.get(table) for table in before}
    assert kept == before, [t for t in before if after.get(t) != before[t]]
    assert_foreign_keys_hold()
    assert_the_app_works(empty_app)


def test_base_to_heads_then_down_to_the_previous_revision_and_up_again(empty_app):
    upgrade(revision="heads")
    fill()
    core_tables = fingerprint()

    downgrade(revision=PREVIOUS_REVISION)
    upgrade(revision="heads")

    again = fingerprint()
    surviving = {t: v for t, v in core_tables.items() if t.split("(")[0] in CORE_AT_0002}
    assert {t: again.get(t) for t in surviving} == surviving
    assert_foreign_keys_hold()
    assert_the_app_works(empty_app)


CORE_AT_0002 = {
    "regency", "kecamatan", "desa", "tps", "user_account", "user_session", "login_attempt",
    "team", "team_member", "document", "audit_log",
}  # fmt: skip
