"""The real-browser fixtures of tests/browser (live server with CSRF on,
Chromium, ``log_in``, ``axe_check``), reused for the injection checks.

This folder has its own live server; pytest-playwright computes the browser
context's base URL once per session, so it is pointed at this server here
(otherwise relative URLs would reach the server of tests/browser)."""

from typing import Any

import pytest

from tests.browser.conftest import (  # noqa: F401 - fixtures used by this folder
    LiveServer,
    _fresh_live_database,
    axe_check,
    base_url,
    browser_type_launch_args,
    context,
    live_server,
    log_in,
    page,
)


@pytest.fixture
def browser_context_args(
    browser_context_args: dict[str, Any],
    live_server: LiveServer,  # noqa: F811 - the fixture, requested
) -> dict[str, Any]:
    return {**browser_context_args, "base_url": live_server.url}
