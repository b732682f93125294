"""Sort, filter, page and search parameters of every list and search route,
fuzzed with hypothesis as the admin (security.md E): never a server error,
and never injected markup in what comes back, page or fragment.

The routes are core's list and search routes and every GET route of every
plugin, reaching the objects of the authorization matrix's world (each
plugin's ``tests/matrix.py``), so a new plugin's lists are fuzzed as soon as it
lands. Each route's parameters are read from the page itself (its GET forms
and the query of its links: filters, sort, pages) and the matrix's query, then
mixed with the usual names; hypothesis mixes the SQL-injection list of
security.md E, the corpus, arbitrary text and huge numbers, values the page
offers, and repeated parameters."""

from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phpnet.testing import HX, REGENCY_A, login
from tests.hardening.forms import query_parameters
from tests.hardening.lists import LIST_ENDPOINTS, PARAMETERS, fuzzed_routes
from tests.hardening.payloads import PAYLOADS, assert_safe
from tests.route_world import World, client_as, matrix_query, open_world, url_values

SQL_INJECTION = [
    "title;DROP TABLE team", "title desc, (select 1)", "1) OR 1=1--", "' OR '1'='1", "%", "_",
    "\\", "9999999999999999999", "-1", "0", "abc", "1e9", "NaN", "name desc", "id;--", "[]",
    "2024-02-30", "0000-00-00", "3578", "provinsi", " ", "%00", "\x00", "../../etc/passwd",
]  # fmt: skip
ROUTES = fuzzed_routes()
VALUES = st.one_of(
    st.sampled_from(SQL_INJECTION + list(PAYLOADS.values())),
    st.text(max_size=300),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
LIST_EXAMPLES = 30  # a route whose page names its parameters
OTHER_EXAMPLES = 8  # a route that names none: the usual names only


@pytest.fixture
def app(every_plugin_app):
    return every_plugin_app


@pytest.fixture(scope="module")
def world(test_database, tmp_path_factory) -> Iterator[World]:
    with open_world(test_database, tmp_path_factory.mktemp("fuzz") / "documents") as opened:
        yield opened


def test_the_fuzzed_routes_include_the_lists_and_searches():
    endpoints = {route.endpoint for route in ROUTES}
    assert endpoints >= LIST_ENDPOINTS


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r.endpoint} {r.rule}" for r in ROUTES])
def test_list_parameters_never_break_a_page(world, route):
    world.fresh()  # GET requests change nothing: one world for the module
    ids = world.ids[REGENCY_A]
    known = matrix_query(route.endpoint, ids)
    with world.app.test_request_context():
        url = url_for(route.endpoint, **url_values(route.endpoint, route.rule, ids))
    admin = client_as(world, "admin")
    page = admin.get(url, query_string=known)
    seen = query_parameters(assert_safe(page, url), urlsplit(url).path)
    for name, value in known.items():
        seen.setdefault(name, set()).add(str(value))
    usual = st.sampled_from(PARAMETERS)
    names = st.sampled_from(sorted(seen)) | usual if seen else usual
    offered = sorted(set().union(*seen.values())) if seen else []
    values = VALUES | st.sampled_from(offered) if offered else VALUES
    queries = st.lists(st.tuples(names, values), min_size=1, max_size=6)

    @settings(
        max_examples=LIST_EXAMPLES if seen else OTHER_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(query=queries, hx=st.booleans())
    def fuzz(query: list[tuple[str, str]], hx: bool) -> None:
        response = admin.get(url, query_string=query, headers=HX if hx else {})
        response.get_data()  # a streamed export ends inside its own request
        assert_safe(response, f"{url} {query!r}")

    fuzz()


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(kode=st.one_of(st.text(max_size=40), st.integers(min_value=0, max_value=10**12).map(str)))
def test_region_codes_in_paths_never_break_a_page(app, kode):
    admin = login(app.test_client(), "admin")
    code = quote(kode, safe="") or "0"
    for path in (f"kecamatan/{code}", f"desa/{code}", f"wilayah/{code}/ubah"):
        for headers in ({}, HX):
            response = admin.get(f"/r/{REGENCY_A}/{path}", headers=headers)
            assert_safe(response, f"{path} {kode!r}")
