"""Logging in and out through the real login form, in Chromium."""

import re

from playwright.sync_api import Page, expect

from phpnet.testing import REGENCY_A

LOGIN_URL = re.compile(r"/login(\?.*)?$")


def test_operator_logs_in_lands_on_own_regency_and_logs_out(page: Page, log_in, axe_check):
    log_in(page, "operator_a")

    expect(page).to_have_url(re.compile(rf"/r/{REGENCY_A}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kabupaten Malang")
    axe_check(page)

    page.get_by_role("button", name="Keluar").click()

    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_text("Anda telah keluar.")).to_be_visible()
    axe_check(page)

    page.goto(f"/r/{REGENCY_A}/")

    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_role("heading", name="Masuk ke phpnet")).to_be_visible()
    axe_check(page)


def test_wrong_password_shows_error_next_to_field_and_no_session(page: Page, log_in, axe_check):
    log_in(page, "operator_a", password="bukan-kata-sandinya-sama-sekali")

    password = page.get_by_label("Kata sandi")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description("Nama pengguna atau kata sandi salah.")
    expect(page.locator(".field.has-error")).to_contain_text("Nama pengguna atau kata sandi salah.")
    expect(page.get_by_role("button", name="Keluar")).to_have_count(0)
    axe_check(page)

    page.goto(f"/r/{REGENCY_A}/")

    expect(page).to_have_url(LOGIN_URL)
