"""The bimtek journey of issue 8, in Chromium: the Kabupaten Malang operator
plans a session for the PPK of three kecamatan, imports 40 participants from
an XLSX in which two rows are wrong (both reported, nothing imported), fixes
the file and imports it, opens the printable attendance list, marks
attendance, enters test scores, and sees the activity report and coverage.
Every page it opens passes axe."""

import re
from pathlib import Path

from openpyxl import Workbook
from playwright.sync_api import Page, expect
from sqlalchemy import select

from phpnet.plugin_api import Kecamatan, Regency, db
from phpnet.testing import REGENCY_A
from phpnet.testing_browser import htmx_ready

TITLE = "Bimtek penanganan perselisihan hasil pemilu bagi PPK"
HEADER = ["Nama", "Tingkat", "Kecamatan", "Desa/Kelurahan", "TPS", "Jabatan", "Telepon"]


def _first_kecamatan(live_server, number: int) -> list[str]:
    """The first kecamatan of Kabupaten Malang in the order the select lists them."""
    with live_server.app.app_context():
        malang = db.session.execute(select(Regency).filter_by(code="35.07")).scalar_one()
        return list(
            db.session.execute(
                select(Kecamatan.name)
                .filter_by(regency_id=malang.id)
                .order_by(Kecamatan.name)
                .limit(number)
            ).scalars()
        )


def _workbook(path: Path, kecamatan: list[str], *, broken: bool) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Peserta"
    sheet.append(HEADER)
    for number in range(1, 41):
        position = "Ketua" if number <= 3 else "Anggota"
        row = [f"Anggota PPK {number:02d}", "PPK", kecamatan[number % 3], None, None, position,
               f"08123456{number:04d}"]  # fmt: skip
        if broken and number == 7:
            row[1] = "PKK"
        if broken and number == 22:
            row[2] = "Kecamatan Antah Berantah"
        sheet.append(row)
    book.save(path)
    return path


def _plan_session(page: Page, axe_check) -> None:
    nav = page.get_by_role("navigation", name="Menu Kabupaten Malang")
    nav.get_by_role("link", name="Bimbingan Teknis").click()
    expect(page.get_by_role("heading", name="Bimbingan Teknis Kabupaten Malang")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Rencanakan bimtek").click()
    expect(page.get_by_role("heading", name="Rencanakan bimtek")).to_be_visible()
    axe_check(page)
    page.get_by_label("Judul kegiatan").fill(TITLE)
    page.get_by_label("Topik").fill("Mencatat kejadian khusus, menyimpan formulir, bersaksi di MK")
    page.get_by_label("Tanggal", exact=True).fill("2024-01-20")
    page.get_by_label("Jam mulai").fill("08:30")
    page.get_by_label("Jam selesai").fill("15:00")
    page.get_by_label("Tempat", exact=True).fill("Aula KPU Kabupaten Malang")
    page.get_by_label("Perkiraan jumlah peserta").fill("42")
    page.get_by_label("Nomor surat undangan").fill("15/PP.04-Und/3507/2024")
    page.get_by_label("Tanggal surat undangan").fill("2024-01-12")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name=f"Sasaran: {TITLE}")).to_be_visible()
    axe_check(page)


def _target_three_ppk(page: Page, kecamatan: list[str], axe_check) -> None:
    for index, name in enumerate(kecamatan, start=1):
        page.get_by_label("Tingkat", exact=True).select_option("ppk")
        page.get_by_label("Kecamatan", exact=True).select_option(index=index)
        page.get_by_role("button", name="Tambah sasaran").click()
        expect(page.get_by_role("rowheader", name=f"PPK Kec. {name}")).to_be_visible()
    counts = page.locator("#target-counts")
    expect(counts).to_contain_text("3 PPK")
    expect(counts).to_contain_text("perkiraan 15 orang")
    axe_check(page)


def _import(page: Page, tmp_path: Path, kecamatan: list[str], axe_check) -> None:
    page.get_by_role("link", name="Lanjut ke peserta").click()
    expect(page.get_by_role("heading", name=f"Peserta: {TITLE}")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Impor dari XLSX").click()
    expect(page.get_by_role("heading", name=f"Impor peserta: {TITLE}")).to_be_visible()
    axe_check(page)
    broken = _workbook(tmp_path / "peserta-salah.xlsx", kecamatan, broken=True)
    page.get_by_label("Berkas XLSX peserta").set_input_files(str(broken))
    page.get_by_role("button", name="Periksa dan impor").click()
    problems = page.get_by_role("alert").filter(has_text="Tidak ada yang disimpan")
    expect(problems).to_contain_text("2 masalah")
    expect(problems).to_contain_text("40 baris diperiksa, 2 baris bermasalah")
    rows = problems.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(re.compile(r"8\s*Tingkat\s*Tingkat “PKK” tidak dikenal"))
    expect(rows.nth(1)).to_contain_text(
        re.compile(r"23\s*Kecamatan\s*Kecamatan “Kecamatan Antah Berantah” tidak ada")
    )
    axe_check(page)
    fixed = _workbook(tmp_path / "peserta.xlsx", kecamatan, broken=False)
    page.get_by_label("Berkas XLSX peserta").set_input_files(str(fixed))
    page.get_by_role("button", name="Periksa dan impor").click()
    expect(page.get_by_text("40 peserta diimpor dari peserta.xlsx")).to_be_visible()
    expect(page.locator("#attendance-summary")).to_contain_text("0 dari 40 peserta hadir")


def _print_attendance_list(page: Page, axe_check) -> None:
    page.get_by_role("link", name="Cetak daftar hadir").first.click()
    expect(page.get_by_role("heading", name="DAFTAR HADIR")).to_be_visible()
    expect(page.get_by_text("KOMISI PEMILIHAN UMUM KABUPATEN MALANG")).to_be_visible()
    table = page.locator("table.attendance-table tbody tr")
    expect(table).to_have_count(42)  # 40 invited and 2 blank lines up to the 42 expected
    expect(table.nth(0).locator(".sign-left")).to_have_text("1. ………………")
    expect(table.nth(1).locator(".sign-right")).to_have_text("2. ………………")
    axe_check(page)
    page.emulate_media(media="print")
    expect(page.locator(".print-help")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Menu Kabupaten Malang")).to_be_hidden()
    expect(page.get_by_role("heading", name="DAFTAR HADIR")).to_be_visible()
    page.emulate_media(media="screen")
    page.go_back()


def _mark_attendance(page: Page, axe_check) -> None:
    expect(page.get_by_role("heading", name=f"Peserta: {TITLE}")).to_be_visible()
    htmx_ready(page)
    page.evaluate("document.body.dataset.marker = 'tetap'")
    page.get_by_label("Cari nama peserta").fill("PPK 1")
    rows = page.locator("#participant-table tbody tr")
    expect(rows).to_have_count(10)  # 10 to 19
    expect(page).to_have_url(re.compile(r"q=PPK(\+|%20)1"))
    page.get_by_label("Hadir: Anggota PPK 12").check()
    expect(page.locator("#attendance-summary")).to_contain_text("1 dari 40 peserta hadir")
    page.get_by_label("Cari nama peserta").fill("")
    expect(rows).to_have_count(40)
    page.get_by_role("button", name="Tandai semua hadir").click()
    expect(page.locator("#attendance-summary")).to_contain_text("40 dari 40 peserta hadir")
    page.get_by_label("Hadir: Anggota PPK 40").uncheck()
    expect(page.locator("#attendance-summary")).to_contain_text("39 dari 40 peserta hadir (97,5%)")
    assert page.evaluate("document.body.dataset.marker") == "tetap"  # all by htmx, no reload
    axe_check(page)


def _enter_scores(page: Page, axe_check) -> None:
    page.get_by_role("navigation", name="Bagian bimtek ini").get_by_role(
        "link", name="Nilai"
    ).click()
    expect(
        page.get_by_role("heading", name=f"Nilai pre-test dan post-test: {TITLE}")
    ).to_be_visible()
    axe_check(page)
    for number, pre, post in ((1, "55", "85"), (2, "60", "80"), (3, "70", "90")):
        page.get_by_label(f"Pre-test Anggota PPK {number:02d}").fill(pre)
        page.get_by_label(f"Post-test Anggota PPK {number:02d}").fill(post)
    page.get_by_label("Post-test Anggota PPK 04").fill("150")
    page.get_by_role("button", name="Simpan nilai").click()
    expect(page.get_by_text("Nilai post-test harus bilangan bulat 0–100.")).to_be_visible()
    axe_check(page)
    page.get_by_label("Post-test Anggota PPK 04").fill("")
    page.get_by_role("button", name="Simpan nilai").click()
    expect(page.get_by_text("Nilai pre-test dan post-test disimpan.")).to_be_visible()
    expect(page.locator("#scores")).to_contain_text("+23,3 rata-rata kenaikan (3 peserta)")


def _report_and_coverage(page: Page, kecamatan: list[str], axe_check) -> None:
    page.get_by_role("navigation", name="Bagian bimtek ini").get_by_role(
        "link", name="Laporan kegiatan"
    ).click()
    expect(page.get_by_role("heading", name="LAPORAN KEGIATAN")).to_be_visible()
    totals = page.locator("table.report-table tfoot tr")
    expect(totals).to_contain_text(re.compile(r"Jumlah\s*40\s*39\s*97,5%"))
    expect(page.locator("article")).to_contain_text("rata-rata kenaikan +23,3 poin dari 3 peserta")
    axe_check(page)
    page.goto(f"/r/{REGENCY_A}/bimtek/cakupan")
    expect(page.get_by_role("heading", name="Cakupan bimtek Kabupaten Malang")).to_be_visible()
    expect(page.locator(".stat").first).to_contain_text(re.compile(r"PPK tercakup \(3 dari \d+\)"))
    for name in kecamatan:
        row = page.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=name, exact=True)
        )
        expect(row).to_contain_text("Tercakup")
    unreached = page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile("PPK yang belum"))
    )
    expect(unreached).not_to_contain_text(f"PPK Kec. {kecamatan[0]}")
    axe_check(page)


def test_an_operator_runs_a_bimtek_for_three_ppk(
    page: Page, live_server, log_in, axe_check, tmp_path
):
    kecamatan = _first_kecamatan(live_server, 3)
    log_in(page, "operator_a")
    page.goto(f"/r/{REGENCY_A}/")
    _plan_session(page, axe_check)
    _target_three_ppk(page, kecamatan, axe_check)
    _import(page, tmp_path, kecamatan, axe_check)
    _print_attendance_list(page, axe_check)
    _mark_attendance(page, axe_check)
    _enter_scores(page, axe_check)
    _report_and_coverage(page, kecamatan, axe_check)
