"""The province's journey of issue 10, in Chromium: a provinsi user opens the
readiness matrix, sorts it by worst, opens a failing cell, follows its link
into that regency's module page, and opens the print report; axe checks
every page on the way."""

import re

from playwright.sync_api import Page, expect


def test_province_user_finds_a_laggard_and_prints_the_report(page: Page, log_in, axe_check):
    log_in(page, "provinsi")
    page.goto("/provinsi/")
    expect(page.get_by_role("heading", name="Dasbor kesiapan Jawa Timur")).to_be_visible()
    axe_check(page)

    page.get_by_role("navigation", name="Menu dasbor provinsi").get_by_role(
        "link", name="Matriks kesiapan"
    ).click()
    expect(page.get_by_role("heading", name="Matriks kesiapan KPU Kabupaten/Kota")).to_be_visible()
    axe_check(page)
    page.evaluate("document.body.dataset.marker = 'tetap'")
    page.get_by_role("link", name="Terburuk dahulu").click()
    expect(page).to_have_url(re.compile(r"urut=terburuk"))
    expect(page.locator(".sort-links strong")).to_have_text("Terburuk dahulu")
    assert page.evaluate("document.body.dataset.marker") == "tetap"  # swapped by htmx

    first_row = page.locator("table.readiness-matrix tbody tr").first
    regency = first_row.locator("th").inner_text().strip()
    cell = first_row.locator("details", has_text="SK Tim Penyelesaian PHP")
    cell.locator("summary").click()
    expect(cell.get_by_text("Belum ada SK Tim Penyelesaian PHP.")).to_be_visible()
    axe_check(page)
    cell.get_by_role("link", name=f"Perbaiki di {regency}").click()
    expect(page).to_have_url(re.compile(r"/r/\d{4}/tim/"))
    expect(page.get_by_role("navigation", name=f"Menu {regency}")).to_be_visible()
    axe_check(page)

    page.goto("/provinsi/kesiapan")
    page.get_by_role("navigation", name="Menu dasbor provinsi").get_by_role(
        "link", name="Laporan cetak"
    ).click()
    expect(
        page.get_by_role("heading", name="Laporan kesiapan penanganan perselisihan hasil pemilihan")
    ).to_be_visible()
    axe_check(page)
    page.emulate_media(media="print")
    expect(page.locator(".province-nav")).to_be_hidden()
    expect(page.locator("table.readiness-matrix")).to_be_visible()
    page.pdf()  # Chromium lays the report out on paper without error


def test_calendar_and_changes_pages_pass_axe(page: Page, log_in, axe_check):
    log_in(page, "provinsi")
    page.goto("/provinsi/kalender")
    page.get_by_label("Nama kegiatan").fill("Penetapan hasil Pilkada")
    page.get_by_label("Jenis").select_option("penetapan_hasil")
    page.get_by_label("Tanggal", exact=True).fill("2024-12-23")
    page.get_by_role("button", name="Tambah kegiatan").click()
    expect(page.get_by_role("cell", name="23 Desember 2024")).to_be_visible()
    page.get_by_label("Nama kegiatan").fill("Batas permohonan ke MK")
    page.get_by_label("Jenis").select_option("permohonan_mk")
    page.get_by_label("Dihitung dari kegiatan").select_option(label="Penetapan hasil Pilkada")
    page.get_by_label("Jumlah hari kerja").fill("3")
    page.get_by_role("button", name="Tambah kegiatan").click()
    expect(page.get_by_role("cell", name="30 Desember 2024")).to_be_visible()
    axe_check(page)
    page.goto("/provinsi/perubahan")
    expect(page.get_by_role("cell", name="Kalender pemilu").first).to_be_visible()
    axe_check(page)
    page.goto("/provinsi/kab/3507/ringkasan")
    expect(page.get_by_role("heading", name="Ringkasan kesiapan Kabupaten Malang")).to_be_visible()
    axe_check(page)
