"""Every page of the app, core's and every loaded plugin's, opened in Chromium
as the admin (who sees every form and button), passes axe with no serious or
critical violation and raises no script error or CSP violation.

The pages are every GET route, reaching the objects of the authorization
matrix's world (tests/route_world.py: core's objects and each plugin's
``tests/matrix.py`` ``build()``, with its ``query()``), so a plugin's pages are
swept as soon as it lands, without being named here. A route is a page when it
answers the admin with a whole HTML document; files, exports, redirects and
htmx fragments (checked inside the pages that load them) are not."""

from pathlib import Path

import pytest
from flask import url_for
from playwright.sync_api import Page

from phpnet.testing import REGENCY_A, login
from tests.route_world import ROUTES, World, matrix_query, url_values

# The pages are swept in shards, so that test workers share them.
SHARDS = 3
# Pages no route reaches with the world's objects: a missing page and searches.
EXTRA_PAGES = [f"/r/{REGENCY_A}/halaman-yang-tidak-ada", "/wilayah?q=malang",
               f"/r/{REGENCY_A}/cari?q=kepanjen"]  # fmt: skip


def _world(live_server) -> World:
    """The matrix's objects in regencies A and B of the live database."""
    app = live_server.app
    with app.app_context():
        world = World(app, Path(app.config["DOCUMENTS_PATH"]))
        world.fresh()
    return world


def _candidates(world: World) -> list[str]:
    """A URL of every GET route, in regency A, reaching the world's objects."""
    ids = world.ids[REGENCY_A]
    with world.app.test_request_context():
        return [
            url_for(endpoint, **url_values(endpoint, rule, ids), **matrix_query(endpoint, ids))
            for endpoint, rule, method in ROUTES
            if method == "GET" and endpoint != "static"
        ]


def _pages(world: World) -> list[str]:
    """The candidates that answer the admin with a whole page; none fails."""
    client = world.app.test_client()
    with world.app.app_context():
        login(client, "admin")
    pages = []
    for url in _candidates(world):
        response = client.get(url)
        start = response.get_data()[:500]  # a streamed export ends inside its own request
        assert response.status_code < 500, f"{url}: {response.status_code}"
        html = response.headers.get("Content-Type", "").startswith("text/html")
        if response.status_code == 200 and html and b"<html" in start.lower():
            pages.append(url)
    return pages


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_page_passes_axe(page: Page, live_server, log_in, axe_check, shard):
    pages = [*_pages(_world(live_server)), *EXTRA_PAGES]
    assert len(pages) >= 25
    log_in(page, "admin")
    for url in pages[shard::SHARDS]:
        page.goto(url)
        if page.locator('[hx-trigger~="load"]').count():
            page.wait_for_load_state("networkidle")  # lazy cards and other htmx loads
        axe_check(page)
