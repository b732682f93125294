"""The rakor journey of issue 9, in Chromium: province staff invite all 38
KPU kabupaten/kota to a rakor with two agenda items; the Kabupaten Malang
operator confirms two attendees; after the meeting the province records the
minutes and a decision with an action item for every regency; Malang closes
its item with a document; the province sees 1 of 38 done. axe on each page."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

TODAY = date(2024, 3, 18)
TITLE = "Rakor Persiapan Penanganan PHPU 2024"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def fixed_today(move_clock):
    move_clock(TODAY)  # the live server runs in this process: its today moves too


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", name="Masuk ke phpnet")).to_be_visible()


def _province_invites_all(page: Page, axe_check) -> str:
    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Rakor Provinsi"
    ).click()
    expect(
        page.get_by_role("heading", name="Rapat koordinasi KPU Provinsi Jawa Timur")
    ).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Rakor baru").click()
    axe_check(page)
    page.get_by_label("Judul rapat").fill(TITLE)
    page.get_by_label("Tanggal rapat").fill((TODAY + timedelta(days=1)).isoformat())
    page.get_by_label("Jam mulai (WIB)").fill("13:00")
    page.get_by_label("Tempat").fill("Hotel Bumi Surabaya")
    page.get_by_label("Nomor surat undangan").fill("123/PY.02-Und/35/2024")
    expect(page.get_by_label("Undang semua 38 KPU kabupaten/kota")).to_be_checked()
    expect(page.get_by_label("Divisi Hukum dan Pengawasan")).to_be_checked()
    page.get_by_role("button", name="Simpan dan undang").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator(".stat").first).to_contain_text("38")
    agenda = page.locator("#agenda")
    for title in ("Penyusunan jawaban termohon", "Penyiapan alat bukti dan saksi"):
        agenda.get_by_label("Mata acara", exact=True).fill(title)
        agenda.get_by_role("button", name="Tambah mata acara").click()
        expect(page.locator("#agenda h3", has_text=title)).to_be_visible()  # swapped by htmx
    axe_check(page)
    return page.url


def _malang_confirms_two(page: Page, axe_check) -> None:
    nav = page.get_by_role("navigation", name="Menu Kabupaten Malang")
    nav.get_by_role("link", name="Rapat Koordinasi").click()
    expect(page.get_by_text("Belum dikonfirmasi")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    axe_check(page)
    attendees = page.locator("#attendees")
    for name, position in (
        ("Ahmad Fauzi", "Divisi Hukum dan Pengawasan"),
        ("Dewi Lestari", "Divisi Teknis Penyelenggaraan"),
    ):
        attendees.get_by_label("Nama").fill(name)
        expect(attendees.get_by_label("Instansi/lembaga")).to_have_value("KPU Kabupaten Malang")
        attendees.get_by_label("Jabatan").fill(position)
        attendees.get_by_role("button", name="Tambah peserta").click()
        expect(
            page.locator("#attendees").get_by_role("cell", name=name, exact=True)
        ).to_be_visible()
    page.get_by_role("button", name="Konfirmasi kehadiran").click()
    expect(page.get_by_text("Kehadiran dikonfirmasi").first).to_be_visible()
    axe_check(page)


def _province_records_outcome(page: Page, meeting_url: str, axe_check) -> None:
    page.goto(meeting_url)
    expect(page.locator(".stat", has_text="sudah konfirmasi")).to_contain_text("1")
    malang_row = page.get_by_role("row", name=re.compile("Kabupaten Malang"))
    expect(malang_row).to_contain_text("Sudah")
    page.get_by_label("Notulen mata acara 1").fill("Setiap KPU kab/kota menyusun jawaban termohon.")
    page.get_by_role("button", name="Simpan notulen mata acara 1").click()
    expect(page.get_by_text("Notulen “Penyusunan jawaban termohon” disimpan.")).to_be_visible()
    decisions = page.locator("#decisions")
    decisions.get_by_label("Keputusan", exact=True).fill(
        "Setiap KPU kab/kota menyerahkan daftar alat bukti"
    )
    decisions.get_by_label("Tindak lanjut", exact=True).fill("Unggah daftar alat bukti")
    decisions.get_by_label("Batas waktu").fill((TODAY + timedelta(days=7)).isoformat())
    decisions.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_text("0 dari 38")).to_be_visible()
    axe_check(page)


def _malang_closes_its_item(page: Page, tmp_path: Path, axe_check) -> None:
    page.get_by_role("navigation", name="Menu Kabupaten Malang").get_by_role(
        "link", name="Rapat Koordinasi"
    ).click()
    page.get_by_role("link", name="Tindak lanjut", exact=True).click()
    axe_check(page)
    page.get_by_role("link", name="Unggah daftar alat bukti").click()
    axe_check(page)
    page.get_by_label("Status").select_option("selesai")
    page.get_by_label("Tanggal selesai").fill(TODAY.isoformat())
    evidence = tmp_path / "daftar-alat-bukti.pdf"
    evidence.write_bytes(PDF)
    page.get_by_label("Dokumen bukti penyelesaian").set_input_files(str(evidence))
    page.get_by_role("button", name="Simpan tindak lanjut").click()
    expect(page.get_by_role("link", name="daftar-alat-bukti.pdf")).to_be_visible()
    axe_check(page)


def test_province_rakor_with_all_regencies(page: Page, log_in, axe_check, tmp_path: Path):
    log_in(page, "provinsi")
    meeting_url = _province_invites_all(page, axe_check)
    _log_out(page)

    log_in(page, "operator_a")
    _malang_confirms_two(page, axe_check)
    _log_out(page)

    log_in(page, "provinsi")
    _province_records_outcome(page, meeting_url, axe_check)
    _log_out(page)

    log_in(page, "operator_a")
    _malang_closes_its_item(page, tmp_path, axe_check)
    _log_out(page)

    log_in(page, "provinsi")
    page.goto(meeting_url)
    expect(page.get_by_text("1 dari 38").first).to_be_visible()
    page.get_by_role("link", name=re.compile("^Rincian per kabupaten")).click()
    expect(page.get_by_text("1 dari 38")).to_be_visible()
    expect(page.get_by_role("link", name="daftar-alat-bukti.pdf")).to_be_visible()
    axe_check(page)
