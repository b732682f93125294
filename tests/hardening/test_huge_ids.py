"""Object ids beyond what an INTEGER column holds (found by the fuzzing on
PostgreSQL, which refuses to compare them): such an id names no row, so the
answer is the same 404 as for any other missing object, never a 500."""

import pytest

from phpnet.testing import HX, REGENCY_A

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
