"""NUL bytes (security.md I): PostgreSQL refuses text containing them, so they
must never reach a query. Form fields drop them (strip_text); anywhere in a
URL they get a clean 400 on both databases, before any view runs."""

import pytest

from phpnet.testing import HX, REGENCY_A

NUL_URLS = [
    "/wilayah?q=Mal%00ang",
    f"/r/{REGENCY_A}/cari?q=%00",
    "/admin/pengguna?q=a%00",
    "/audit?pelaku=%00x",
    f"/r/{REGENCY_A}/kecamatan/350701%00",
    "/pindah?kode=3507%00",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_byte_in_the_url_gets_a_clean_400(login_as, url):
    admin = login_as("admin")
    page = admin.get(url)
    assert page.status_code == 400
    assert "Permintaan tidak sah" in page.get_data(as_text=True)
    assert admin.get(url, headers=HX).status_code == 400


def test_a_url_without_nul_is_untouched(login_as):
    assert login_as("admin").get("/wilayah?q=Malang").status_code == 200


def test_a_nul_byte_in_a_form_field_is_dropped_not_refused(login_as, user):
    response = login_as("admin").post(
        f"/admin/pengguna/{user('pemantau_a').id}/ubah",
        data={"full_name": "Pemantau\x00 Baru", "role": "pemantau", "regency": REGENCY_A},
    )
    assert response.status_code == 303
    assert user("pemantau_a").full_name == "Pemantau Baru"
