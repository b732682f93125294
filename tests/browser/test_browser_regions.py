"""Region pages in Chromium: the province list, active search and the back
button, and an htmx request after the session was revoked."""

import re

from flask_sqlalchemy.session import Session
from playwright.sync_api import Page, expect

from phpnet.auth.models import User
from phpnet.auth.sessions import revoke_all
from phpnet.extensions import db
from phpnet.testing import REGENCY_A

REGENCIES_IN_JAWA_TIMUR = 38
KECAMATAN_OF_A = "Donomulyo"  # a kecamatan (and desa) of Kab. Malang


def test_province_user_sees_all_38_regencies_on_home(page: Page, log_in, axe_check):
    log_in(page, "provinsi")

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Provinsi Jawa Timur", level=1)).to_be_visible()
    regencies = page.locator("#regencies tbody tr")
    expect(regencies).to_have_count(REGENCIES_IN_JAWA_TIMUR)
    expect(regencies.first).to_contain_text("Kabupaten Pacitan")
    expect(regencies.filter(has_text="Kabupaten Malang")).to_have_count(1)
    expect(regencies.last).to_contain_text("Kota Batu")
    axe_check(page)


def _search(page: Page, query: str) -> None:
    page.get_by_label("Nama atau kode wilayah").fill(query)
    expect(page).to_have_url(re.compile(rf"/wilayah\?q={query}$"))


def test_back_button_after_active_search_shows_the_whole_page(page: Page, log_in, axe_check):
    log_in(page, "operator_a")
    page.goto("/wilayah")
    axe_check(page)

    _search(page, KECAMATAN_OF_A)
    results = page.locator("#search-results")
    kecamatan_link = results.get_by_role("link", name=KECAMATAN_OF_A).first
    expect(kecamatan_link).to_be_visible()
    axe_check(page)

    kecamatan_link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Kecamatan {KECAMATAN_OF_A}")
    axe_check(page)

    page.go_back()

    expect(page).to_have_url(re.compile(rf"/wilayah\?q={KECAMATAN_OF_A}$"))
    expect(page.get_by_role("navigation", name="Menu utama")).to_be_visible()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    expect(page.get_by_role("heading", name="Cari wilayah", level=1)).to_be_visible()
    expect(page.get_by_label("Nama atau kode wilayah")).to_have_value(KECAMATAN_OF_A)
    expect(results.get_by_role("link", name=KECAMATAN_OF_A).first).to_be_visible()
    axe_check(page)


def _revoke_sessions_of(session: Session, username: str) -> None:
    account = session.execute(db.select(User).filter_by(username=username)).scalar_one()
    revoke_all(account)
    session.commit()


def test_htmx_request_after_session_revoked_sends_whole_page_to_login(
    page: Page, live_server, log_in, axe_check
):
    log_in(page, "operator_a")
    page.goto("/wilayah")
    expect(page.get_by_role("heading", name="Cari wilayah", level=1)).to_be_visible()
    with live_server.app.app_context():
        _revoke_sessions_of(db.session, "operator_a")

    page.get_by_label("Nama atau kode wilayah").fill(KECAMATAN_OF_A)

    expect(page).to_have_url(re.compile(r"/login\?next=/wilayah"))
    expect(page.get_by_role("heading", name="Masuk ke phpnet")).to_have_count(1)
    expect(page.locator("header.topbar")).to_have_count(1)
    expect(page.locator("#search-results")).to_have_count(0)
    expect(page.get_by_role("button", name="Keluar")).to_have_count(0)
    axe_check(page)

    page.goto(f"/r/{REGENCY_A}/")
    expect(page).to_have_url(re.compile(r"/login\?"))
