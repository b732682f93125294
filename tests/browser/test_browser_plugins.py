"""A module enabled for one regency only, as the office sees it: the admin
switches it on for Kabupaten Malang in the matrix; Malang's operator finds it
in the navigation and on the dashboard; Surabaya's operator neither sees it
nor reaches it by URL."""

import re

from playwright.sync_api import Page, expect

from phpnet.testing import REGENCY_A, REGENCY_B
from phpnet.testing_browser import htmx_ready


def _enable_hello_for_malang(page: Page, log_in, axe_check) -> None:
    log_in(page, "admin")
    page.get_by_role("link", name="Modul").click()
    expect(page.get_by_role("heading", name="Modul per kab/kota")).to_be_visible()
    axe_check(page)
    page.evaluate("document.body.dataset.marker = 'tidak dimuat ulang'")
    page.get_by_role("button", name="Halo untuk Kabupaten Malang: nonaktif").click()
    expect(page.get_by_role("button", name="Halo untuk Kabupaten Malang: aktif")).to_be_visible()
    expect(page.get_by_role("button", name="Halo untuk Kota Surabaya: nonaktif")).to_be_visible()
    assert page.evaluate("document.body.dataset.marker") == "tidak dimuat ulang"  # htmx swap
    axe_check(page)
    page.get_by_role("button", name="Keluar").click()


def test_module_enabled_for_malang_only(page: Page, log_in, axe_check):
    _enable_hello_for_malang(page, log_in, axe_check)

    log_in(page, "operator_a")
    expect(page).to_have_url(re.compile(rf"/r/{REGENCY_A}/$"))
    card = page.locator("section.card", has=page.get_by_role("heading", name="Kartu halo"))
    expect(card).to_contain_text("Kartu halo")  # lazy card loaded
    team_card = page.locator(
        "section.card", has=page.get_by_role("heading", name="Tim Penyelesaian PHP")
    )
    expect(team_card).to_contain_text("Belum ada SK Tim Penyelesaian PHP.")
    axe_check(page)
    page.get_by_role("navigation", name="Menu Kabupaten Malang").get_by_role(
        "link", name="Halo"
    ).click()
    expect(page.get_by_role("heading", name="Modul Halo")).to_be_visible()
    expect(page.get_by_text("Halo, Kabupaten Malang!")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Keluar").click()

    log_in(page, "operator_b")
    expect(page).to_have_url(re.compile(rf"/r/{REGENCY_B}/$"))
    nav = page.get_by_role("navigation", name="Menu Kota Surabaya")
    expect(nav.get_by_role("link", name="Tim Penyelesaian PHP")).to_be_visible()
    expect(nav.get_by_role("link", name="Halo")).to_have_count(0)
    expect(page.get_by_role("heading", name="Kartu halo")).to_have_count(0)
    response = page.goto(f"/r/{REGENCY_B}/hello/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Halaman tidak ditemukan")).to_be_visible()
    response = page.goto(f"/r/{REGENCY_A}/hello/")
    assert response is not None and response.status == 404
    axe_check(page)


def test_back_after_htmx_search_shows_the_whole_regency_search_page(page: Page, log_in, axe_check):
    log_in(page, "operator_a")
    page.get_by_role("search").get_by_label("Cari di Kabupaten Malang").fill("kepanjen")
    page.get_by_role("search").get_by_label("Cari di Kabupaten Malang").press("Enter")
    expect(page.get_by_role("heading", name="Cari di Kabupaten Malang")).to_be_visible()
    htmx_ready(page)
    box = page.get_by_label("Kata kunci")
    box.fill("donomulyo")
    expect(page).to_have_url(re.compile(r"/cari\?q=donomulyo$"))
    results = page.locator("#results")
    expect(results).to_contain_text("Donomulyo")
    axe_check(page)
    results.get_by_role("link", name="Donomulyo").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Donomulyo")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/cari\?q=donomulyo$"))
    expect(page.get_by_role("navigation", name="Menu utama")).to_be_visible()
    expect(page.get_by_role("heading", name="Cari di Kabupaten Malang")).to_be_visible()
    expect(page.locator("#results")).to_contain_text("Donomulyo")
