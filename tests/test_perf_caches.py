"""What a gunicorn worker keeps between requests (the regency of a URL and the
plugins enabled there) never outlives a change: a change made through another
worker, or by another process, applies from the very next request."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text

from phpnet import create_app
from phpnet.extensions import db
from phpnet.testing import REGENCY_A, IsolatedClient, login

INVENTORY = f"/r/{REGENCY_A}/inventory/"
DOTTED_A = f"{REGENCY_A[:2]}.{REGENCY_A[2:]}"


@pytest.fixture
def second_worker(app: Flask, app_config: dict[str, Any]) -> Iterator[Flask]:
    """Another app on the same database, as gunicorn's second worker."""
    other = create_app(app_config)
    other.test_client_class = IsolatedClient
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def another_process(app_config: dict[str, Any]) -> Iterator[Callable[[str], None]]:
    """Commit SQL through a connection of its own, outside phpnet's engine (a
    CLI command, a backup restore, another server process)."""
    engine = create_engine(app_config["SQLALCHEMY_DATABASE_URI"])

    def run(statement: str) -> None:
        with engine.begin() as connection:
            connection.execute(text(statement), {"code": DOTTED_A})

    yield run
    engine.dispose()


def _toggle(admin: FlaskClient, enabled: bool) -> None:
    answer = admin.post(f"/admin/plugin/inventory/{REGENCY_A}", data={"enabled": int(enabled)})
    assert answer.status_code in (200, 303)


def test_plugin_disabled_in_one_worker_is_gone_in_the_other_at_once(app, second_worker):
    admin = login(app.test_client(), "admin")
    operator = login(second_worker.test_client(), "operator_a")
    assert operator.get(INVENTORY).status_code == 200  # the second worker now keeps it

    _toggle(admin, enabled=False)
    assert operator.get(INVENTORY).status_code == 404

    _toggle(admin, enabled=True)
    assert operator.get(INVENTORY).status_code == 200


def test_plugin_switched_by_another_process_applies_at_the_next_request(
    app, login_as, another_process
):
    operator = login_as("operator_a")
    _toggle(login_as("admin"), enabled=False)
    assert operator.get(INVENTORY).status_code == 404

    another_process(
        "UPDATE regency_plugin SET enabled = TRUE WHERE plugin_name = 'inventory' "
        "AND regency_id = (SELECT id FROM regency WHERE code = :code)"
    )
    assert operator.get(INVENTORY).status_code == 200


def test_regency_deactivated_by_another_process_answers_404_at_the_next_request(
    app, login_as, another_process
):
    operator = login_as("operator_a")
    assert operator.get(f"/r/{REGENCY_A}/").status_code == 200

    another_process("UPDATE regency SET is_active = FALSE WHERE code = :code")
    assert operator.get(f"/r/{REGENCY_A}/").status_code == 404


def test_logout_in_one_worker_ends_the_session_in_the_other(app, second_worker):
    here = login(app.test_client(), "operator_a")
    there = second_worker.test_client()
    cookie = app.config["SESSION_COOKIE_NAME"]
    there.set_cookie(cookie, here.get_cookie(cookie).value)
    assert there.get(f"/r/{REGENCY_A}/").status_code == 200

    here.post("/logout")
    assert there.get(f"/r/{REGENCY_A}/").status_code == 302


def test_a_warm_worker_reads_neither_regency_nor_plugins_for_a_regency_page(app, login_as):
    operator = login_as("operator_a")
    operator.get(INVENTORY)
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert operator.get(INVENTORY).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)

    reads = [s for s in statements if "FROM regency " in s or "FROM regency_plugin" in s]
    kept_by_worker = db.engine.dialect.name == "sqlite"  # see phpnet.database.data_stamp
    assert len(reads) == (0 if kept_by_worker else 2)


def test_category_added_by_another_process_is_offered_by_the_filter_at_the_next_request(
    app, login_as, another_process
):
    operator = login_as("operator_a")
    assert "Kategori dari proses lain" not in operator.get(INVENTORY).text

    another_process(
        "INSERT INTO inventory_category (regency_id, name, is_active) "
        "SELECT id, 'Kategori dari proses lain', TRUE FROM regency WHERE code = :code"
    )
    assert "Kategori dari proses lain" in operator.get(INVENTORY).text
