"""A page refused by the guard tells nothing about the regency asked for:
not its name, not its menu, not its modules, not a link to its pages."""

import pytest

from phpnet.testing import HX, REGENCY_A, REGENCY_B, without_csrf_tokens

SURABAYA_URLS = [
    f"/r/{REGENCY_B}/",
    f"/r/{REGENCY_B}/tim/",
    f"/r/{REGENCY_B}/kesiapan",
    f"/r/{REGENCY_B}/cari?q=a",
    f"/r/{REGENCY_B}/inventory/",
    f"/r/{REGENCY_B}/supervision/",
    f"/r/{REGENCY_B}/bimtek/",
    f"/r/{REGENCY_B}/coordination/",
    f"/r/{REGENCY_B}/modul-yang-tidak-ada/",
]


@pytest.mark.parametrize("hx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("url", SURABAYA_URLS)
def test_another_regencys_url_answers_a_bare_404(login_as, url, hx):
    response = login_as("operator_a").get(url, headers=HX if hx else {})
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Halaman tidak ditemukan" in body
    for telling in ("Surabaya", REGENCY_B, "35.78", "Inventarisasi", "Supervisi", "Bimtek"):
        assert telling not in body, telling
    assert f"/r/{REGENCY_A}/" not in body  # nor a link into the user's own regency's menu


def test_an_unknown_regency_code_answers_the_same(login_as):
    page = login_as("operator_a").get("/r/3599/").get_data(as_text=True)
    refused = login_as("operator_a").get(f"/r/{REGENCY_B}/").get_data(as_text=True)
    assert without_csrf_tokens(page) == without_csrf_tokens(refused)
