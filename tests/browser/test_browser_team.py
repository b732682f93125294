"""The main journey of the issue, in Chromium: the Kab. Malang operator logs
in, records the decree (SK) of the Tim Penyelesaian PHP with three members
added inline (htmx), and logs out."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

from phpnet.testing import REGENCY_A

SK_NUMBER = "45/PY.02.1-Kpt/3507/2024"
SK_DATE = "2024-03-04"
SK_DATE_SHOWN = "4 Maret 2024"
SIGNED_BY = "Ketua KPU Kabupaten Malang"


@dataclass(frozen=True)
class Member:
    name: str
    position: str
    unit: str


MEMBERS = (
    Member("Siti Rahmawati, S.H.", "Ketua", "Divisi Hukum dan Pengawasan"),
    Member("Bambang Hariyanto", "Sekretaris", "Subbagian Hukum dan SDM"),
    Member("Dewi Lestari", "Anggota", "Divisi Teknis Penyelenggaraan"),
)


def _record_decree(page: Page, axe_check: Callable[[Page], None]) -> None:
    page.get_by_role("navigation", name="Menu Kabupaten Malang").get_by_role(
        "link", name="Tim Penyelesaian PHP"
    ).click()
    expect(page).to_have_url(re.compile(rf"/r/{REGENCY_A}/tim/$"))
    expect(page.get_by_role("heading", name="Belum ada SK tim")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Catat SK Tim Penyelesaian PHP").click()
    expect(page).to_have_url(re.compile(rf"/r/{REGENCY_A}/tim/sk/baru$"))
    expect(page.get_by_role("heading", name="Catat SK Tim Penyelesaian PHP")).to_be_visible()
    axe_check(page)

    page.get_by_label("Nomor SK", exact=True).fill(SK_NUMBER)
    page.get_by_label("Tanggal SK", exact=True).fill(SK_DATE)
    page.get_by_label("Ditandatangani oleh", exact=True).fill(SIGNED_BY)
    page.get_by_role("button", name="Simpan SK").click()

    expect(page).to_have_url(re.compile(rf"/r/{REGENCY_A}/tim/$"))
    expect(page.get_by_text(f"SK nomor {SK_NUMBER} dicatat dan kini berlaku.")).to_be_visible()
    decree = page.locator("#decree")
    expect(decree).to_contain_text(SK_NUMBER)
    expect(decree).to_contain_text(SK_DATE_SHOWN)
    expect(decree).to_contain_text(SIGNED_BY)
    axe_check(page)


def _member_table(page: Page) -> Locator:
    return page.get_by_role("table", name=f"Anggota tim menurut SK nomor {SK_NUMBER}")


def _add_member(page: Page, member: Member) -> None:
    form = page.locator("#member-add")
    form.get_by_label("Nama", exact=True).fill(member.name)
    form.get_by_label("Jabatan dalam tim", exact=True).select_option(label=member.position)
    form.get_by_label("Unit kerja", exact=True).select_option(label=member.unit)
    form.get_by_role("button", name="Tambah anggota").click()
    expect(
        page.get_by_role("status").filter(has_text=f"{member.name} ditambahkan ke tim.")
    ).to_be_visible()
    # The swapped-in form is blank again, ready for the next member.
    expect(page.locator("#member-add").get_by_label("Nama", exact=True)).to_have_value("")


def _expect_members(page: Page) -> None:
    rows = _member_table(page).locator("tbody tr")
    expect(rows).to_have_count(len(MEMBERS))
    for row, member in zip(rows.all(), MEMBERS, strict=True):  # listed by position
        expect(row.get_by_role("cell").nth(0)).to_have_text(member.name)
        expect(row.get_by_role("cell").nth(1)).to_have_text(member.position)
        expect(row.get_by_role("cell").nth(2)).to_have_text(member.unit)


def test_operator_records_team_decree_with_three_members_and_logs_out(
    page: Page, log_in, axe_check
):
    log_in(page, "operator_a")
    expect(page).to_have_url(re.compile(rf"/r/{REGENCY_A}/$"))
    _record_decree(page, axe_check)
    expect(_member_table(page).locator("tbody")).to_contain_text("Belum ada anggota.")

    # A full page load would drop this marker: the members must come in by htmx.
    page.evaluate("window.sameDocument = true")
    for member in reversed(MEMBERS):
        _add_member(page, member)
    assert page.evaluate("window.sameDocument") is True
    expect(page).to_have_url(re.compile(rf"/r/{REGENCY_A}/tim/$"))
    _expect_members(page)
    axe_check(page)

    page.reload()
    expect(page.get_by_role("heading", name="SK yang berlaku")).to_be_visible()
    _expect_members(page)
    axe_check(page)

    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("Anda telah keluar.")).to_be_visible()
    page.goto(f"/r/{REGENCY_A}/tim/")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    axe_check(page)
