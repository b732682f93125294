"""The real-browser fixtures of tests/browser (live server with CSRF on,
Chromium, ``log_in``, ``axe_check``), reused for the injection checks."""

from tests.browser.conftest import (  # noqa: F401 - fixtures used by this folder
    _fresh_live_database,
    axe_check,
    base_url,
    browser_type_launch_args,
    context,
    live_server,
    log_in,
    page,
)
