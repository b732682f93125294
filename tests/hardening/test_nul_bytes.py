"""NUL bytes (security.md I): PostgreSQL refuses text containing them, so they
must never reach a query. Form fields drop them (strip_text); in a URL's query
they become U+FFFD like any other undecodable byte, and a path with one is a
404, on both databases and before any view runs."""

import pytest

from phpnet.testing import HX, REGENCY_A

SEARCHES = ["/wilayah?q=Mal%00ang", f"/r/{REGENCY_A}/cari?q=Mal%00ang"]


@pytest.mark.parametrize("url", SEARCHES)
def test_a_nul_byte_in_a_search_finds_nothing_instead_of_failing(login_as, url):
    admin = login_as("admin")
    for headers in ({}, HX):
        response = admin.get(url, headers=headers)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "Mal\ufffdang" in body and "\x00" not in body
        assert "/kecamatan/" not in body  # no region matches


def test_a_nul_byte_in_a_filter_is_ignored_and_named(login_as):
    page = login_as("admin").get("/audit?objek=team%00")
    assert page.status_code == 200
    assert "Saringan yang tidak sah diabaikan: Jenis objek" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "url", [f"/r/{REGENCY_A}/kecamatan/350701%00", "/static/plugins/hello%00/x.css"]
)
def test_a_nul_byte_in_the_path_names_nothing(login_as, url):
    assert login_as("admin").get(url).status_code == 404


def test_a_nul_byte_in_a_form_field_is_dropped_not_refused(login_as, user):
    response = login_as("admin").post(
        f"/admin/pengguna/{user('pemantau_a').id}/ubah",
        data={"full_name": "Pemantau\x00 Baru", "role": "pemantau", "regency": REGENCY_A},
    )
    assert response.status_code == 303
    assert user("pemantau_a").full_name == "Pemantau Baru"
