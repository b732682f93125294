"""Waits the browser journeys share."""

from playwright.sync_api import Page


def htmx_ready(page: Page) -> None:
    """Wait until htmx has taken over the page just opened. The page shows
    before its deferred script runs, and what is typed into an htmx input
    before that (search as you type, cascading selects) triggers nothing."""
    page.wait_for_load_state("load")
