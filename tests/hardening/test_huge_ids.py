"""Object ids beyond what an INTEGER column holds (found by the fuzzing on
PostgreSQL, which refuses to compare them): such an id names no row, so the
answer is the same 404 as for any other missing object, never a 500."""

import pytest

from phpnet.testing import HX, REGENCY_A, login
from tests.hardening.conftest import build_sample, url_for_route
from tests.hardening.lists import PARAMETERS, fuzzed_routes

HUGE = 2**31  # one past PostgreSQL's largest INTEGER
URLS = [
    f"/r/{REGENCY_A}/tim/{HUGE}",
    f"/r/{REGENCY_A}/tim/anggota/{HUGE}",
    f"/r/{REGENCY_A}/tim/anggota/{HUGE}/ubah",
    f"/r/{REGENCY_A}/dokumen/{HUGE}",
    f"/admin/pengguna/{HUGE}/ubah",
    f"/r/{REGENCY_A}/tim/anggota/{10**30}",
]


@pytest.mark.parametrize("url", URLS)
def test_an_id_too_large_for_any_row_is_not_found(login_as, url):
    admin = login_as("admin")
    assert admin.get(url).status_code == 404
    assert admin.get(url, headers=HX).status_code == 404
    assert admin.post(url).status_code in (404, 405)


@pytest.mark.parametrize("route", fuzzed_routes(), ids=lambda r: r.endpoint)
def test_huge_numbers_in_every_filter_of_every_list_answer_without_error(every_plugin_app, route):
    sample = build_sample()
    url = url_for_route(route, sample)
    admin = login(every_plugin_app.test_client(), "admin")
    for number in (str(HUGE), str(10**11)):
        query = {name: number for name in PARAMETERS}
        response = admin.get(url, query_string=query)
        response.get_data()
        assert response.status_code < 500, (url, number, response.status_code)
