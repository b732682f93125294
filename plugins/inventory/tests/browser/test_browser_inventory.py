"""The DIM journey of issue 4, in Chromium: the Kabupaten Malang operator
records an entry at a TPS in Kecamatan Kepanjen with the scanned
C.Kejadian Khusus, filters the list down to it, changes its status inline,
exports the list to XLSX, empties the regency's DIM, re-imports the file and
finds the same entry again."""

import re
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from phpnet.testing import REGENCY_A
from phpnet.testing_browser import htmx_ready

DESCRIPTION = "Saksi partai menolak menandatangani C.Hasil DPR di TPS 001"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _record_entry(page: Page, tmp_path: Path, axe_check) -> None:
    nav = page.get_by_role("navigation", name="Menu Kabupaten Malang")
    nav.get_by_role("link", name="Inventarisasi Masalah").click()
    page.get_by_role("link", name="Catat entri DIM").click()
    expect(page.get_by_role("heading", name="Catat entri DIM")).to_be_visible()
    axe_check(page)
    page.get_by_label("Tingkat lokasi").select_option("tps")
    page.get_by_label("Kecamatan", exact=True).select_option(label="Kepanjen")
    desa = page.get_by_label("Desa/Kelurahan", exact=True)
    expect(desa.locator("option")).not_to_have_count(1)  # htmx filled the desa of Kepanjen
    desa.select_option(index=1)
    tps = page.get_by_label("TPS", exact=True)
    expect(tps.locator("option")).not_to_have_count(1)
    tps.select_option(index=1)
    page.get_by_label("Jenis pemilihan").select_option("dpr")
    page.get_by_label("Tahapan").select_option("penghitungan")
    page.get_by_label("Kategori masalah").select_option(
        label="Keberatan saksi atau saksi menolak menandatangani"
    )
    page.get_by_label("Tanggal kejadian").fill("2024-02-14")
    page.get_by_label("Jam kejadian (WIB)").fill("15:30")
    page.get_by_label("Uraian kejadian").fill(DESCRIPTION)
    page.get_by_label("Pihak yang keberatan").fill("Saksi Partai Contoh")
    page.get_by_label("Formulir", exact=True).select_option("c_kejadian_khusus")
    page.get_by_label("Nomor formulir").fill("C.KK-001/2024")
    scan = tmp_path / "c-kejadian-khusus.pdf"
    scan.write_bytes(PDF)
    page.get_by_label("Berkas bukti").set_input_files(str(scan))
    page.get_by_label("Jenis bukti").select_option("c_kejadian_khusus")
    page.get_by_role("button", name="Simpan entri").click()
    expect(page.get_by_role("heading", name=re.compile(r"Entri DIM #\d+"))).to_be_visible()
    expect(page.get_by_role("link", name="c-kejadian-khusus.pdf")).to_be_visible()
    axe_check(page)


def _filter_to_it_and_resolve(page: Page, axe_check) -> None:
    page.get_by_role("link", name="Kembali ke daftar").click()
    htmx_ready(page)
    page.get_by_label("Kecamatan", exact=True).select_option(label="Kepanjen")
    page.get_by_label("Cari di DIM").fill("menolak menandatangani")
    expect(page).to_have_url(re.compile(r"q=menolak"))
    rows = page.locator("table.inventory-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Kepanjen")
    axe_check(page)
    page.evaluate("document.body.dataset.marker = 'tetap'")
    row = rows.first
    row.get_by_label(re.compile("Status entri nomor")).select_option("selesai")
    row.get_by_role("button", name="Simpan").click()
    expect(rows.first.get_by_label(re.compile("Status entri nomor"))).to_have_value("selesai")
    assert page.evaluate("document.body.dataset.marker") == "tetap"  # swapped by htmx


def _export(page: Page, tmp_path: Path) -> Path:
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    path = tmp_path / "dim.xlsx"
    download.value.save_as(path)
    cells = [c for row in load_workbook(path).active.iter_rows(values_only=True) for c in row]
    assert DESCRIPTION in cells and "Selesai" in cells
    return path


def _tps_for_malang(live_server) -> None:
    """The test world has TPS in two desa only; Kepanjen needs its own (made
    as an office would, with phpnet's command line)."""
    with live_server.app.app_context():
        result = live_server.app.test_cli_runner().invoke(
            args=["tps", "generate", "--regency", REGENCY_A]
        )
    assert result.exit_code == 0, result.output


def test_operator_records_filters_resolves_exports_and_reimports(
    page: Page, live_server, log_in, axe_check, tmp_path: Path
):
    _tps_for_malang(live_server)
    log_in(page, "operator_a")
    _record_entry(page, tmp_path, axe_check)
    entry_url = page.url
    _filter_to_it_and_resolve(page, axe_check)
    workbook = _export(page, tmp_path)

    page.goto(entry_url)  # empty the regency's DIM: its only entry goes
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Hapus entri").click()
    expect(page.get_by_text("Belum ada entri DIM", exact=False)).to_be_visible()

    page.goto(f"/r/{REGENCY_A}/inventory/impor")
    axe_check(page)
    page.get_by_label(re.compile("Berkas")).set_input_files(str(workbook))
    page.get_by_role("button", name="Periksa dan impor").click()
    result = page.locator("#import-result")
    expect(result.get_by_role("heading", name="Impor selesai")).to_be_visible()
    expect(result.locator("dd").nth(1)).to_have_text("1")  # entries added
    axe_check(page)

    page.goto(f"/r/{REGENCY_A}/inventory/?q=menolak+menandatangani")
    rows = page.locator("table.inventory-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Kepanjen")
    expect(rows.first).to_contain_text("Keberatan saksi")
    expect(rows.first.get_by_label(re.compile("Status entri nomor"))).to_have_value("selesai")
