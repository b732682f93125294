"""``phpnet demo``: a working demo from a new database, and never into a
database that already has users."""

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from phpnet import create_app
from phpnet.auth.models import Role, User
from phpnet.auth.passwords import password_problem, verify_password
from phpnet.demo import DEMO_ACCOUNTS
from phpnet.extensions import db
from phpnet.regions.models import Regency, Tps
from phpnet.regions.tps_generate import PROVINCE_TPS_TOTAL
from phpnet.teams.models import Team
from phpnet.testing import IsolatedClient

EXPECTED_ACCOUNTS = {
    ("admin", None),
    ("provinsi", None),
    ("operator", "Kabupaten Malang"),
    ("anggota", "Kabupaten Malang"),
    ("pemantau", "Kabupaten Malang"),
    ("operator", "Kota Surabaya"),
    ("anggota", "Kota Surabaya"),
    ("pemantau", "Kota Surabaya"),
}


def count(model: type) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def new_app(app_config: dict[str, Any], tmp_path: Path) -> Iterator[Flask]:
    """An app on a new database: migrated, without regions or users."""
    server = make_url(app_config["SQLALCHEMY_DATABASE_URI"])
    name = f"phpnet_demo_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    if server.get_backend_name() == "sqlite":
        uri = f"sqlite:///{tmp_path / 'baru.sqlite3'}"
    else:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        uri = server.set(database=name).render_as_string(hide_password=False)
    application = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": uri})
    application.test_client_class = IsolatedClient
    with application.app_context():
        upgrade(revision="heads")  # core and every plugin's branch, as `phpnet db upgrade`
        yield application
        db.session.remove()
        db.engine.dispose()
    if server.get_backend_name() != "sqlite":
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


def test_demo_fills_a_new_database_and_prints_the_logins(new_app):
    result = new_app.test_cli_runner().invoke(args=["demo"])

    assert result.exit_code == 0, result.output
    assert count(Regency) == 38
    assert count(Tps) == PROVINCE_TPS_TOTAL
    users = db.session.execute(select(User)).scalars().all()
    assert {(u.role.value, u.regency.name if u.regency else None) for u in users} == (
        EXPECTED_ACCOUNTS
    )
    for account in DEMO_ACCOUNTS:
        user = next(u for u in users if u.username == account.username)
        assert verify_password(user.password_hash, account.password)
        assert password_problem(account.password, account.username) is None
        assert not user.must_change_password
        assert f"{account.username}  " in result.output
        assert account.password in result.output
    (team,) = db.session.execute(select(Team)).scalars()
    assert team.regency_id == next(u.regency_id for u in users if u.username == "operator_malang")
    assert len(team.members) == 3


def test_a_demo_operator_can_log_in_to_their_regency(new_app):
    new_app.test_cli_runner().invoke(args=["demo"])
    operator = next(a for a in DEMO_ACCOUNTS if a.role is Role.OPERATOR)

    client = new_app.test_client()
    response = client.post(
        "/login", data={"username": operator.username, "password": operator.password}
    )
    assert response.status_code == 302

    audit_log = client.get(f"/r/{operator.regency}/audit")
    assert audit_log.status_code == 200
    assert operator.username in audit_log.text  # their own login, in their regency's log


def test_demo_refuses_a_database_that_has_users(app):
    users_before = count(User)

    result = app.test_cli_runner().invoke(args=["demo"])

    assert result.exit_code == 1
    assert "hanya untuk basis data baru" in result.output
    assert count(User) == users_before
    assert "demo-" not in result.output


def test_demo_if_empty_passes_over_a_database_that_has_users(app):
    users_before = count(User)
    tps_before = count(Tps)

    result = app.test_cli_runner().invoke(args=["demo", "--if-empty"])

    assert result.exit_code == 0
    assert "tidak dibuat" in result.output
    assert (count(User), count(Tps)) == (users_before, tps_before)
    assert "demo-" not in result.output  # no demo accounts here, so no demo logins
