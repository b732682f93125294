"""The supervision journey of issue 7, in Chromium: a Kota Surabaya member
records a supervision visit to the PPK and two PPS of one kecamatan, with a
finding and a follow-up due tomorrow; once its due date has passed the
follow-up shows as overdue on the dashboard; the operator closes it with a
document; the kecamatan's coverage has changed. axe checks every page.

"Today" is moved with ``move_clock``: the live server runs in this process,
so the moved clock reaches its requests."""

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from phpnet.plugin_api import (
    Desa,
    Kecamatan,
    OfficeUnit,
    Position,
    Regency,
    Team,
    TeamMember,
    Tps,
    db,
)
from phpnet.testing import REGENCY_B

TODAY = date(2024, 3, 11)
TOMORROW = TODAY + timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FINDING = "PPS belum menempelkan salinan C.Hasil di papan pengumuman desa"
FOLLOW_UP = "Tempelkan salinan C.Hasil dan kirim fotonya"


def _surabaya_world(live_server) -> tuple[str, list[str]]:
    """The dispute team of Kota Surabaya; the kecamatan of the world's desa
    with TPS and the names of its first two desa."""
    with live_server.app.app_context():
        surabaya = db.session.execute(select(Regency).filter_by(code="35.78")).scalar_one()
        team = Team(
            regency_id=surabaya.id, sk_number="7/PY.02-Kpt/3578/2024", sk_date=date(2024, 3, 1),
            signed_by="Ketua KPU Kota Surabaya",
        )  # fmt: skip
        for name, position in (
            ("Rina Wulandari", Position.KETUA),
            ("Agus Prasetyo", Position.ANGGOTA),
        ):
            db.session.add(
                TeamMember(
                    regency_id=surabaya.id,
                    team=team,
                    name=name,
                    position=position,
                    unit=OfficeUnit.DIVISI_HUKUM,
                )
            )
        tps = db.session.execute(
            select(Tps).filter_by(regency_id=surabaya.id).order_by(Tps.desa_id).limit(1)
        ).scalar_one()
        kecamatan = db.session.get(Kecamatan, tps.kecamatan_id)
        desa = db.session.execute(
            select(Desa.name).filter_by(kecamatan_id=kecamatan.id).order_by(Desa.name).limit(2)
        ).scalars()
        names = list(desa)
        db.session.commit()
        return kecamatan.name, names


def _choose(page: Page, select: str, text: str) -> None:
    """Select the option of ``select`` whose label contains ``text``."""
    option = page.locator(f"{select} option").filter(has_text=text)
    page.locator(select).select_option(value=option.get_attribute("value"))


def _tile(page: Page, kecamatan: str):
    return page.locator(".sv-tile").filter(has=page.get_by_text(kecamatan, exact=True))


def _record_visit(page: Page, kecamatan: str, desa: list[str], axe_check) -> None:
    page.get_by_role("navigation", name="Menu Kota Surabaya").get_by_role(
        "link", name="Supervisi & Pendampingan"
    ).click()
    expect(page.get_by_text("Belum ada kegiatan supervisi atau pendampingan.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Cakupan wilayah").click()
    expect(_tile(page, kecamatan)).to_contain_text("Belum dijangkau")
    axe_check(page)
    page.go_back()
    page.get_by_role("link", name="Catat kegiatan").click()
    expect(page.get_by_role("heading", name="Catat kegiatan")).to_be_visible()
    page.get_by_label("Jenis kegiatan").select_option("supervisi")
    page.get_by_label("Tanggal mulai").fill(TODAY.isoformat())
    page.get_by_label("Maksud dan tujuan").fill(
        "Supervisi kesiapan PPK dan PPS menghadapi sengketa"
    )
    _choose(page, "#body-kecamatan", kecamatan)
    ppk = page.get_by_label(f"PPK Kecamatan {kecamatan}")
    expect(ppk).to_be_visible()  # htmx loaded the kecamatan's bodies
    expect(page.locator("#body-counts")).to_contain_text("1 PPK")
    ppk.check()
    for name in desa:
        page.get_by_role("checkbox", name=re.compile(f"^PPS (Desa|Kelurahan) {name}$")).check()
    page.get_by_role("checkbox", name=re.compile("^Rina Wulandari")).check()
    axe_check(page)
    page.get_by_role("button", name="Simpan kegiatan").click()
    expect(page.get_by_role("heading", name=re.compile(r"Supervisi #\d+"))).to_be_visible()
    expect(page.locator("#bodies-summary")).to_contain_text("PPK (kecamatan): 1")
    expect(page.locator("#bodies-summary")).to_contain_text("PPS (desa/kelurahan): 2")
    axe_check(page)


def _add_finding_and_follow_up(page: Page, desa: list[str], axe_check) -> None:
    page.evaluate("document.body.dataset.marker = 'tetap'")
    page.get_by_label("Tingkat keparahan").select_option("sedang")
    _choose(page, "#body", f" {desa[0]} (Kec.")
    page.get_by_label("Uraian temuan").fill(FINDING)
    page.get_by_role("button", name="Simpan temuan").click()
    expect(page.locator("#sv-findings")).to_contain_text(FINDING)
    page.get_by_label("Tindak lanjut yang diminta").fill(FOLLOW_UP)
    page.get_by_label("Atas temuan").select_option(index=1)
    page.get_by_label("Penanggung jawab").select_option(label="Rina Wulandari (Ketua)")
    page.get_by_label("Tenggat").fill(TOMORROW.isoformat())
    page.get_by_role("button", name="Simpan tindak lanjut").click()
    row = page.locator("#sv-follow-ups tbody tr")
    expect(row).to_contain_text(FOLLOW_UP)
    expect(row).to_contain_text("Terbuka")
    assert page.evaluate("document.body.dataset.marker") == "tetap"  # swapped by htmx
    axe_check(page)


def _overdue_card(page: Page):
    page.goto(f"/r/{REGENCY_B}/")
    card = page.locator("section.card").filter(
        has=page.get_by_role("heading", name="Supervisi & Pendampingan")
    )
    expect(card.locator("#sv-card-overdue")).to_be_visible()  # loaded lazily by htmx
    return card


def test_member_records_a_visit_and_the_operator_closes_its_overdue_follow_up(
    page: Page, live_server, log_in, axe_check, move_clock: Callable[[date], None], tmp_path: Path
):
    move_clock(TODAY)
    kecamatan, desa = _surabaya_world(live_server)
    log_in(page, "anggota_b")
    _record_visit(page, kecamatan, desa, axe_check)
    activity_url = page.url
    _add_finding_and_follow_up(page, desa, axe_check)

    card = _overdue_card(page)
    expect(card.locator("#sv-card-overdue")).to_have_text("0")
    axe_check(page)

    overdue_day = TOMORROW + timedelta(days=1)  # the day after it was due
    move_clock(overdue_day)
    page.context.clear_cookies()
    log_in(page, "operator_b")
    card = _overdue_card(page)
    expect(card.locator("#sv-card-overdue")).to_contain_text("1")
    expect(card.get_by_role("link", name=FOLLOW_UP)).to_be_visible()
    axe_check(page)
    card.get_by_role("link", name=FOLLOW_UP).click()
    assert page.url.split("#")[0] == activity_url
    row = page.locator("#sv-follow-ups tbody tr")
    expect(row).to_contain_text("Terlambat")
    axe_check(page)

    evidence = tmp_path / "foto-salinan-ditempel.pdf"
    evidence.write_bytes(PDF)
    row.get_by_text("Selesaikan").click()
    row.get_by_label("Tanggal selesai").fill(overdue_day.isoformat())
    row.get_by_label("Keterangan penyelesaian").fill("Salinan sudah ditempel")
    row.get_by_label("Bukti penyelesaian").set_input_files(str(evidence))
    row.get_by_role("button", name="Tandai selesai").click()
    expect(page.locator("#sv-follow-ups")).to_contain_text("Tindak lanjut diselesaikan.")
    expect(row).to_contain_text("Selesai")
    expect(row.get_by_role("link", name="foto-salinan-ditempel.pdf")).to_be_visible()
    axe_check(page)

    card = _overdue_card(page)
    expect(card.locator("#sv-card-overdue")).to_have_text("0")
    expect(card).to_contain_text("1 dari")  # one kecamatan's PPK reached

    page.goto(f"/r/{REGENCY_B}/supervision/cakupan")
    tile = _tile(page, kecamatan)
    expect(tile).not_to_contain_text("Belum dijangkau")
    expect(tile).to_contain_text("PPK: ya")
    expect(tile).to_contain_text("PPS 2/")
    axe_check(page)
    tile.get_by_role("link").click()
    expect(page.locator("#sv-desa")).to_contain_text(f"Desa/kelurahan di Kecamatan {kecamatan}")
    expect(page.locator("#sv-desa")).to_contain_text("Supervisi")
    axe_check(page)
