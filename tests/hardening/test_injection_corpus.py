"""Every payload of the corpus through the core inputs that the matrix-driven
corpus (test_injection_corpus_every_form.py) does not reach: a member edited
inline, accounts seen from a regency, the region names at every level, the TPS
import's CSV, the login form and the search and filter parameters; then every
place the value is shown: full pages, htmx fragments, flash
messages, the audit views and the CSV exports (security.md D, D-export, I).

A payload is either stored (and then shown only as text, never as markup or a
formula) or refused with a clean 4xx; a server error is never acceptable, on
SQLite or PostgreSQL (NUL bytes, 100 kB strings)."""

import csv
import io
from collections.abc import Iterable

import pytest
from flask.testing import FlaskClient

from phpnet.auth.models import User
from phpnet.extensions import db
from phpnet.regions.models import Desa, Kecamatan, Tps
from phpnet.testing import HX, REGENCY_A, REGENCY_B
from tests.hardening.conftest import make_team, regency_id_of
from tests.hardening.payloads import (
    PAYLOADS,
    assert_no_formula,
    assert_safe,
    shown_escaped,
    stored_form,
)

CORPUS = pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
TEAM = f"/r/{REGENCY_A}/tim/"
TEAM_EXPORT = f"/r/{REGENCY_A}/ekspor/phpnet.core/tim"
TPS_EXPORT = f"/r/{REGENCY_A}/ekspor/phpnet.core/tps"
REGENCY_VIEWS = [
    TEAM,
    f"/r/{REGENCY_A}/kartu/tim",
    f"/r/{REGENCY_A}/kesiapan",
    f"/r/{REGENCY_A}/ekspor/",
    f"/r/{REGENCY_A}/audit",
    "/audit",
]


def visit(client: FlaskClient, urls: Iterable[str]) -> dict[str, str]:
    """Every URL as a page and as an htmx fragment; the bodies by URL."""
    bodies = {}
    for url in urls:
        bodies[url] = assert_safe(client.get(url), url)
        assert_safe(client.get(url, headers=HX), f"{url} (htmx)")
    return bodies


def submitted(response, payload: str, where: str) -> bool:
    """Whether the form took the value: stored (2xx/3xx) or refused (4xx)."""
    assert_safe(response, where)
    if len(payload) > 1000:
        assert 400 <= response.status_code < 500, f"{where}: 100 kB accepted"
    return response.status_code < 400


def stored_values(column) -> list[str]:
    values = [v for v in db.session.execute(db.select(column)).scalars() if v is not None]
    db.session.commit()
    return values


def assert_stored_without_nul(column) -> None:
    assert not any("\x00" in value for value in stored_values(column))


# --- Tim Penyelesaian PHP: a member edited inline (htmx) -------------------------------
# Every field of the decree and member forms, plain, goes through the corpus in
# test_injection_corpus_every_form.py, with every other form of the app.


def member_data(field: str, payload: str) -> dict[str, str]:
    data = {"name": "Ani", "position": "anggota", "unit": "lainnya",
            "unit_other": "Sekretariat", "user_id": "0"}  # fmt: skip
    return {**data, field: payload}


@CORPUS
def test_member_name_when_edited_inline(app, login_as, payload):
    ids = make_team(REGENCY_A)
    client = login_as("operator_a")
    url = f"/r/{REGENCY_A}/tim/anggota/{ids.member_id}/ubah"
    data = {f"member-{ids.member_id}-{k}": v for k, v in member_data("name", payload).items()}
    response = client.post(url, data=data, headers=HX)
    if submitted(response, payload, "edit member"):
        assert shown_escaped(response.get_data(as_text=True), stored_form(payload))
        row = client.get(f"/r/{REGENCY_A}/tim/anggota/{ids.member_id}", headers=HX)
        assert_safe(row, "member row")
        visit(login_as("admin"), REGENCY_VIEWS)


# --- Accounts -----------------------------------------------------------------------


@CORPUS
def test_account_full_name(app, login_as, payload):
    make_team(REGENCY_A)  # the member form offers the regency's accounts by name
    admin = login_as("admin")
    data = {"username": "akun_uji", "full_name": payload, "role": "anggota", "regency": REGENCY_A}
    response = admin.post("/admin/pengguna/baru", data=data)
    if not submitted(response, payload, "new account"):
        return
    account_id = db.session.execute(db.select(User.id).filter_by(username="akun_uji")).scalar_one()
    db.session.commit()
    bodies = visit(admin, ["/admin/pengguna", f"/admin/pengguna/{account_id}/ubah", "/audit"])
    table = admin.get("/admin/pengguna?q=akun", headers={**HX, "HX-Target": "user-table"})
    assert_safe(table, "account table fragment")
    assert shown_escaped(bodies["/admin/pengguna"], stored_form(payload))
    edited = admin.post(
        f"/admin/pengguna/{account_id}/ubah",
        data={"full_name": payload, "role": "anggota", "regency": REGENCY_A},
        follow_redirects=True,
    )
    assert_safe(edited, "edited account")
    operator_page = login_as("operator_a").get(TEAM)
    assert shown_escaped(assert_safe(operator_page, "team page"), stored_form(payload))
    assert_stored_without_nul(User.full_name)


# --- Region names (admin) --------------------------------------------------------------


def first_desa() -> tuple[str, str]:
    desa = (
        db.session.execute(
            db.select(Desa).filter_by(regency_id=regency_id_of(REGENCY_A)).order_by(Desa.code)
        )
        .scalars()
        .first()
    )
    assert desa is not None
    codes = (desa.kecamatan.slug, desa.slug)
    db.session.commit()
    return codes


@pytest.mark.parametrize("level", ["regency", "kecamatan", "desa"])
@CORPUS
def test_region_names(app, login_as, payload, level):
    kecamatan, desa = first_desa()
    code = {"regency": REGENCY_A, "kecamatan": kecamatan, "desa": desa}[level]
    admin = login_as("admin")
    url = f"/r/{REGENCY_A}/wilayah/{code}/ubah"
    fragment = admin.post(url, data={"name": payload}, headers=HX)
    if not submitted(fragment, payload, "rename region"):
        return
    plain = admin.post(url, data={"name": payload}, follow_redirects=True)
    assert_safe(plain, "rename region (plain, with flash)")
    pages = [
        "/",
        f"/r/{REGENCY_A}/",
        f"/r/{REGENCY_A}/kecamatan/{kecamatan}",
        f"/r/{REGENCY_A}/desa/{desa}",
        f"/wilayah?q={stored_form(payload)[:50]}",
        f"/r/{REGENCY_A}/cari?q={stored_form(payload)[:50]}",
        "/admin/pengguna/baru",
        "/admin/plugin/",
        "/audit",
    ]
    bodies = visit(admin, pages)
    page = {"regency": f"/r/{REGENCY_A}/", "kecamatan": pages[2], "desa": pages[3]}[level]
    assert shown_escaped(bodies[page], stored_form(payload))
    visit(login_as("operator_a"), [f"/r/{REGENCY_A}/", TEAM])
    assert_no_formula(admin.get(TPS_EXPORT).get_data(as_text=True), "TPS export")
    for model in (Kecamatan, Desa):
        assert_stored_without_nul(model.name)


# --- TPS import: the address column ----------------------------------------------------


@CORPUS
def test_tps_import_address(app, login_as, payload):
    _, desa = first_desa()
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["kode_desa", "nomor_tps", "alamat"], [desa, "1", payload]])
    client = login_as("operator_a")
    response = client.post(
        f"/r/{REGENCY_A}/tps/impor",
        data={"file": (io.BytesIO(buffer.getvalue().encode()), "tps.csv")},
        headers=HX,
    )
    if not submitted(response, payload, "TPS import"):
        return
    bodies = visit(client, [f"/r/{REGENCY_A}/desa/{desa}", f"/r/{REGENCY_A}/audit"])
    assert shown_escaped(bodies[f"/r/{REGENCY_A}/desa/{desa}"], stored_form(payload))
    export = client.get(TPS_EXPORT).get_data(as_text=True)
    assert_no_formula(export, "TPS export")
    assert_stored_without_nul(Tps.address)


# --- Login (reflected, and in the audit log of failed logins) ---------------------------


@CORPUS
def test_login_username(app, client, login_as, payload):
    response = client.post("/login", data={"username": payload, "password": "salah"})
    assert_safe(response, "login")
    assert response.status_code in (200, 422, 429)
    visit(login_as("admin"), ["/audit"])


# --- Search and filter parameters (reflected) ------------------------------------------


@CORPUS
def test_search_and_filter_parameters(app, login_as, payload):
    admin = login_as("admin")
    for path, name in [
        ("/wilayah", "q"),
        (f"/r/{REGENCY_A}/cari", "q"),
        (f"/r/{REGENCY_B}/cari", "q"),
        ("/admin/pengguna", "q"),
        ("/admin/pengguna", "role"),
        ("/admin/pengguna", "regency"),
        ("/audit", "pelaku"),
        ("/audit", "aksi"),
        ("/audit", "objek"),
        ("/audit", "kabkota"),
        ("/audit", "dari"),
        (f"/r/{REGENCY_A}/audit", "pelaku"),
        (f"/r/{REGENCY_A}/audit", "halaman"),
        ("/pindah", "kode"),
    ]:
        for headers in ({}, HX):
            response = admin.get(path, query_string={name: payload}, headers=headers)
            assert_safe(response, f"{path}?{name}=")
