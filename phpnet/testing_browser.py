"""Real-browser tests: Debian Chromium driven by Playwright against a live phpnet
(a pytest plugin, loaded by the root conftest: its fixtures serve core's
journeys in tests/browser and each plugin's in plugins/<name>/tests/browser).

The live server is the real app (CSRF on, as in production) served from a
thread on a free port, with a database of its own: a copy of the session's
test template that is restored before every test, so journeys never depend
on each other and never touch the database of the function-scoped ``app``
fixture. The strict Content-Security-Policy stays on in the browser, so a
template that uses an inline script or style breaks here as it would in an
office. axe therefore goes in through Playwright's evaluate, which the page's
CSP does not govern, rather than as an inline script tag, which it blocks
(and a route serving it would turn off the browser's HTTP cache)."""

import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from phpnet import create_app
from phpnet.extensions import db
from phpnet.testing import PASSWORD, WORKER_SUFFIX, TestDatabase

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# The outside test plugin, "installed" for the live server (found through its
# entry point), so that journeys and the axe sweep meet a third-party module too.
HELLO_SITE = PROJECT_ROOT / "tests" / "fake_plugins" / "site-packages"
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
LIVE_DATABASE = f"phpnet_browser{WORKER_SUFFIX}"  # on PostgreSQL
ACTION_TIMEOUT_MS = 5_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in a ``browser`` folder is a browser test (``-m "not browser"``
    deselects them)."""
    for item in items:
        if "browser" in Path(item.path).parent.parts:
            item.add_marker(pytest.mark.browser)


def pytest_configure(config: pytest.Config) -> None:
    # A failed journey leaves a screenshot in test-results/ unless asked otherwise;
    # add `--tracing retain-on-failure` for a full Playwright trace (~10% slower).
    if config.getoption("--screenshot", default=None) == "off":
        config.option.screenshot = "only-on-failure"


@dataclass
class LiveServer:
    url: str
    app: Flask
    restore_database: Callable[[], None]


def _sqlite_copy(test_database: TestDatabase, workdir: Path) -> tuple[str, Callable[[], None]]:
    """A pristine copy of the template taken once, restored before each test."""
    test_database.reset()
    source = Path(make_url(test_database.uri).database or "")
    pristine = workdir / "browser-template.sqlite3"
    live = workdir / "browser.sqlite3"
    shutil.copyfile(source, pristine)

    def restore() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{live}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(pristine, live)

    return f"sqlite:///{live}", restore


def _postgres_copy(test_database: TestDatabase) -> tuple[str, Callable[[], None]]:
    """A database of its own, made from the session's template before each test."""
    test_database.reset()  # makes sure the template exists before it is copied
    url = make_url(test_database.uri)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def restore() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{LIVE_DATABASE}" WITH (FORCE)'))
            conn.execute(
                text(f'CREATE DATABASE "{LIVE_DATABASE}" TEMPLATE "{test_database.template_name}"')
            )

    return url.set(database=LIVE_DATABASE).render_as_string(hide_password=False), restore


def _live_config(uri: str, instance: Path) -> dict[str, Any]:
    return {
        "SECRET_KEY": "browser-test-secret-key-not-for-production-0123",
        "SQLALCHEMY_DATABASE_URI": uri,
        "WTF_CSRF_ENABLED": True,
        "PHPNET_LOAD_ENTRYPOINTS": True,  # every plugin, the outside test plugin too
        "DOCUMENTS_PATH": str(instance / "documents"),
    }


@pytest.fixture(scope="session")
def live_server(
    test_database: TestDatabase, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("browser")
    sys.path.insert(0, str(HELLO_SITE))  # "installed": found through its entry point
    if make_url(test_database.uri).get_backend_name() == "sqlite":
        uri, restore = _sqlite_copy(test_database, workdir)
    else:
        uri, restore = _postgres_copy(test_database)
    restore()
    app = create_app(_live_config(uri, workdir))

    def restore_database() -> None:
        with app.app_context():
            db.engine.dispose()  # no pooled connection may outlive the old database
        restore()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, restore_database)
    server.shutdown()
    thread.join()
    with app.app_context():
        db.engine.dispose()
    sys.path.remove(str(HELLO_SITE))


@pytest.fixture(autouse=True)
def _fresh_live_database(request: pytest.FixtureRequest) -> None:
    """Every browser test starts from the pristine live database."""
    if request.node.get_closest_marker("browser") is not None:
        request.getfixturevalue("live_server").restore_database()


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    """pytest-playwright resolves ``page.goto("/login")`` against this."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Debian's Chromium: `playwright install` would download a browser. Without
    # the back/forward cache, going back loads the page from the server (or the
    # HTTP cache) as it does whenever that cache is not used, which is what the
    # back-button journeys need to see; otherwise they depend on its policy.
    args = [*browser_type_launch_args.get("args", []), "--disable-back-forward-cache"]
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": args,
    }


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    browser_context = new_context()
    browser_context.set_default_timeout(ACTION_TIMEOUT_MS)
    return browser_context


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page that remembers its script errors and CSP violations for ``axe_check``."""
    new_page = context.new_page()
    problems: list[str] = []
    new_page.on("console", lambda message: _note_csp_violation(message, problems))
    new_page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    _PAGE_PROBLEMS[id(new_page)] = problems
    yield new_page
    del _PAGE_PROBLEMS[id(new_page)]


_PAGE_PROBLEMS: dict[int, list[str]] = {}


def _note_csp_violation(message: ConsoleMessage, problems: list[str]) -> None:
    if message.type == "error" and "Content Security Policy" in message.text:
        problems.append(message.text)


@cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def _axe_check(page: Page) -> None:
    problems = _PAGE_PROBLEMS.get(id(page), [])
    assert not problems, f"{page.url}: the browser reported {problems}"
    assert AXE_SCRIPT.exists(), f"{AXE_SCRIPT} is missing: run `make` (npm install axe-core)"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        pytest.fail(
            f"{page.url}: accessibility violations:\n" + "\n".join(map(_describe, blocking))
        )


def _describe(violation: dict[str, Any]) -> str:
    targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"])
    return f"- {violation['id']} ({violation['impact']}): {violation['help']} at {targets}"


@pytest.fixture
def axe_check() -> Callable[[Page], None]:
    """``axe_check(page)``: fail on axe violations of serious or critical impact
    on the current page, and on any script error or CSP violation it had."""
    return _axe_check


@pytest.fixture
def log_in(axe_check: Callable[[Page], None]) -> Callable[..., None]:
    """``log_in(page, "operator_a")``: log in through the login form, as a person would."""

    def submit_login_form(page: Page, username: str, password: str = PASSWORD) -> None:
        page.goto("/login")
        expect(page.get_by_role("heading", name="Masuk ke phpnet")).to_be_visible()
        axe_check(page)
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Kata sandi").fill(password)
        page.get_by_role("button", name="Masuk").click()

    return submit_login_form


def htmx_ready(page: Page) -> None:
    """Wait until htmx has taken over the page just opened. The page shows
    before its deferred script runs, and what is typed into an htmx input
    before that (search as you type, cascading selects) triggers nothing."""
    page.wait_for_load_state("load")
