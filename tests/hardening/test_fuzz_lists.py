"""Sort, filter, page and search parameters of every list and search route,
fuzzed with hypothesis as the admin (security.md E): never a server error,
and never injected markup in what comes back, page or fragment.

The routes are every GET route of a regency or of the province that reads
query parameters; the inventory list joins in as soon as the plugin serves it.
Hypothesis mixes the SQL-injection list of security.md E with arbitrary text,
huge numbers and repeated parameters."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phpnet.testing import HX, REGENCY_A, login
from tests.hardening.conftest import build_sample, url_for_route
from tests.hardening.lists import LIST_ENDPOINTS, PARAMETERS, fuzzed_routes
from tests.hardening.payloads import PAYLOADS, assert_safe

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
QUERIES = st.lists(st.tuples(st.sampled_from(PARAMETERS), VALUES), min_size=1, max_size=6)


@pytest.fixture
def app(every_plugin_app):
    return every_plugin_app


def test_the_fuzzed_routes_include_the_lists_and_searches():
    endpoints = {route.endpoint for route in ROUTES}
    assert endpoints >= LIST_ENDPOINTS


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r.endpoint} {r.rule}" for r in ROUTES])
def test_list_parameters_never_break_a_page(app, route):
    sample = build_sample()
    url = url_for_route(route, sample)
    admin = login(app.test_client(), "admin")

    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(query=QUERIES, hx=st.booleans())
    def fuzz(query: list[tuple[str, str]], hx: bool) -> None:
        response = admin.get(url, query_string=query, headers=HX if hx else {})
        response.get_data()
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
