"""Shared pytest fixtures for core and plugin tests (loaded by the root conftest).

The database is built once per test session the only way phpnet builds one,
with the migrations, then gets the regions of Jawa Timur and a world of users.
Every test starts from a fresh copy of that template: a file copy on SQLite; on
PostgreSQL (set PHPNET_TEST_DATABASE_URL) the tables the previous test wrote
to are put back (phpnet/pg_pristine.py).
Tests log in by opening a server-side session directly (``login``), so only the
tests of the login form pay for argon2."""

import os
import re
import shutil
import sqlite3
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from datetime import UTC, date, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from phpnet import create_app, pg_pristine
from phpnet.auth.models import Role, User
from phpnet.auth.passwords import hash_password
from phpnet.auth.sessions import LAST_SEEN_KEY, start_session
from phpnet.extensions import db
from phpnet.kit import clock
from phpnet.plugin_system.enablement import set_plugin_enabled
from phpnet.regions.loader import load_regions
from phpnet.regions.models import Desa, Regency, Tps, dotted_code

REGENCY_A = "3507"  # Kabupaten Malang
REGENCY_B = "3578"  # Kota Surabaya
PASSWORD = "kata-sandi-uji-yang-cukup-panjang"  # noqa: S105 - test world only

# username -> (role, regency url code or None, active)
WORLD_USERS: dict[str, tuple[Role, str | None, bool]] = {
    "admin": (Role.ADMIN, None, True),
    "provinsi": (Role.PROVINSI, None, True),
    "operator_a": (Role.OPERATOR, REGENCY_A, True),
    "anggota_a": (Role.ANGGOTA, REGENCY_A, True),
    "pemantau_a": (Role.PEMANTAU, REGENCY_A, True),
    "operator_b": (Role.OPERATOR, REGENCY_B, True),
    "anggota_b": (Role.ANGGOTA, REGENCY_B, True),
    "pemantau_b": (Role.PEMANTAU, REGENCY_B, True),
    "nonaktif_a": (Role.OPERATOR, REGENCY_A, False),
}
TPS_PER_DESA_IN_WORLD = 3
DESA_WITH_TPS_IN_WORLD = 2


# Under pytest-xdist each worker gets databases of its own on the shared server.
WORKER_SUFFIX = os.environ.get("PYTEST_XDIST_WORKER", "")


class TestDatabase(ABC):
    """Where the template lives and how a test gets a fresh copy of it."""

    uri: str
    template_name = ""  # PostgreSQL: the database the copies are made from

    @abstractmethod
    def reset(self) -> None:
        """Make the test database a copy of the template (or of the kept state)."""

    @abstractmethod
    def keeping_current_state(self) -> AbstractContextManager[None]:
        """Within the block, :meth:`reset` returns to the database as it is now
        (a module that builds its own world once, then resets to it often)."""


def _base_config(uri: str, instance: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production-0123456789",
        "SQLALCHEMY_DATABASE_URI": uri,
        "WTF_CSRF_ENABLED": False,
        "PHPNET_LOAD_ENTRYPOINTS": False,
        "DOCUMENTS_PATH": str(instance / "documents"),
    }


def _build_world() -> None:
    load_regions()
    regencies = {r.slug: r for r in db.session.execute(db.select(Regency)).scalars()}
    password_hash = hash_password(PASSWORD)
    for username, (role, code, active) in WORLD_USERS.items():
        db.session.add(
            User(
                username=username,
                full_name=username.replace("_", " ").title(),
                role=role,
                regency_id=regencies[code].id if code else None,
                is_active=active,
                password_hash=password_hash,
            )
        )
    for code in (REGENCY_A, REGENCY_B):
        desa_list = db.session.execute(
            db.select(Desa)
            .filter_by(regency_id=regencies[code].id)
            .order_by(Desa.code)
            .limit(DESA_WITH_TPS_IN_WORLD)
        ).scalars()
        for desa in desa_list:
            for number in range(1, TPS_PER_DESA_IN_WORLD + 1):
                db.session.add(
                    Tps(
                        desa_id=desa.id,
                        kecamatan_id=desa.kecamatan_id,
                        regency_id=desa.regency_id,
                        number=number,
                        voter_count=250 + number,
                    )
                )
    db.session.commit()


def _make_template(uri: str, instance: Path) -> None:
    app = create_app(_base_config(uri, instance))
    with app.app_context():
        upgrade(revision="heads")
        _build_world()
        db.engine.dispose()


class SqliteTestDatabase(TestDatabase):
    """A file copy of the template for every test."""

    def __init__(self, workdir: Path) -> None:
        self.template = self.source = workdir / "template.sqlite3"
        self.live = workdir / "test.sqlite3"
        self.uri = f"sqlite:///{self.live}"
        _make_template(f"sqlite:///{self.template}", workdir)

    def reset(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.live}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.source, self.live)

    @contextmanager
    def keeping_current_state(self) -> Iterator[None]:
        kept = self.live.with_name("kept.sqlite3")
        # The backup API copies what is committed, in the WAL too.
        with closing(sqlite3.connect(self.live)) as live, closing(sqlite3.connect(kept)) as copy:
            live.backup(copy)
        self.source = kept
        try:
            yield
        finally:
            self.source = self.template
            kept.unlink()


class PostgresTestDatabase(TestDatabase):
    """A copy of the template database once, then only the tables a test wrote
    to are put back (phpnet/pg_pristine.py)."""

    def __init__(self, server_uri: str, workdir: Path) -> None:
        url = make_url(server_uri)
        self.template_name, self.live = (
            f"phpnet_template{WORKER_SUFFIX}",
            f"phpnet_test{WORKER_SUFFIX}",
        )
        self.admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            for name in (self.live, self.template_name):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{self.template_name}"'))
        template_uri = url.set(database=self.template_name).render_as_string(hide_password=False)
        _make_template(template_uri, workdir)
        template = create_engine(template_uri, poolclass=NullPool)
        with template.begin() as conn:
            pg_pristine.keep_pristine_copy(conn)
        template.dispose()
        self.uri = url.set(database=self.live).render_as_string(hide_password=False)
        self.engine = create_engine(self.uri, poolclass=NullPool)
        self.copied = False

    def reset(self) -> None:
        if self.copied:
            with self.engine.begin() as conn:
                if pg_pristine.restore(conn):
                    return
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.live}" WITH (FORCE)'))
            # FILE_COPY: copying the template's files beats WAL-logging every page.
            conn.execute(
                text(
                    f'CREATE DATABASE "{self.live}" TEMPLATE "{self.template_name}" '
                    "STRATEGY FILE_COPY"
                )
            )
        self.copied = True

    @contextmanager
    def keeping_current_state(self) -> Iterator[None]:
        with self.engine.begin() as conn:
            pg_pristine.keep(conn)
        try:
            yield
        finally:
            self.copied = False  # the next reset copies the template again


@pytest.fixture(scope="session")
def test_database(tmp_path_factory: pytest.TempPathFactory) -> TestDatabase:
    workdir = tmp_path_factory.mktemp("database")
    server = os.environ.get("PHPNET_TEST_DATABASE_URL")
    if server:
        return PostgresTestDatabase(server, workdir)
    return SqliteTestDatabase(workdir)


@pytest.fixture
def app_config(test_database: TestDatabase, tmp_path: Path) -> dict[str, Any]:
    """The config of the test app; override this fixture (or change the dict
    before ``app`` is built) to test other settings."""
    return _base_config(test_database.uri, tmp_path)


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in an app context of its own, as
    in production: without this, requests would share the test's ``g`` (the
    logged-in user, the regency, caches) and its database session."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        # End the test's own transaction first: SQLite has one writer, and the
        # objects the test holds are then reloaded after the request.
        db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(test_database: TestDatabase, app_config: dict[str, Any]) -> Iterator[Flask]:
    test_database.reset()
    application = create_app(app_config)
    application.test_client_class = IsolatedClient
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def user(app: Flask) -> Callable[[str], User]:
    """``user("operator_a")``: a user of the world."""

    def find(username: str) -> User:
        return db.session.execute(db.select(User).filter_by(username=username)).scalar_one()

    return find


def login(client: FlaskClient, username: str) -> FlaskClient:
    """Log ``client`` in as ``username`` through a real server-side session."""
    account = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
    token = start_session(account)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
        session[LAST_SEEN_KEY] = time.time()
    return client


@pytest.fixture
def login_as(app: Flask) -> Callable[[str], FlaskClient]:
    """``login_as("operator_a")``: a new test client logged in as that user."""

    def make(username: str) -> FlaskClient:
        return login(app.test_client(), username)

    return make


@pytest.fixture
def regency(app: Flask) -> Callable[[str], Regency]:
    """``regency("3507")``: a regency by its URL code."""

    def find(code: str) -> Regency:
        return db.session.execute(db.select(Regency).filter_by(code=dotted_code(code))).scalar_one()

    return find


# A CSRF token carries the second it was made: two pages compared byte for
# byte must not differ by it.
CSRF_TOKEN = re.compile(r'(csrf_token"[^>]*? value="|"X-CSRFToken": ")[^"]+')


def without_csrf_tokens(page: str) -> str:
    return CSRF_TOKEN.sub(r"\1TOKEN", page)


HX = {"HX-Request": "true", "HX-Current-URL": "http://localhost/"}
HX_HISTORY_RESTORE = {**HX, "HX-History-Restore-Request": "true"}


@pytest.fixture
def move_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[date | datetime], None]:
    """``move_clock(date(2024, 3, 1))``: for every module (``today_wib``,
    ``now_wib``), it is then that day (10.00 WIB) or that moment (WIB)."""

    def move(to: date | datetime) -> None:
        moment = to if isinstance(to, datetime) else datetime.combine(to, clock_time(10, 0))
        aware = moment if moment.tzinfo else moment.replace(tzinfo=clock.WIB)
        monkeypatch.setattr(clock, "_now", lambda: aware.astimezone(UTC))

    return move


def enable_plugin(regency: Regency, name: str, enabled: bool = True) -> None:
    """Turn plugin ``name`` on or off for ``regency``, as the admin's page
    does (with what it requires or what requires it), and commit."""
    set_plugin_enabled(regency, name, enabled, None)
    db.session.commit()
