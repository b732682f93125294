"""Outputs: the printable attendance list, the activity report, coverage per
kecamatan with the bodies never reached, the threshold setting, the card."""

import re
from datetime import date, datetime
from typing import Any

import pytest

from phpnet.plugin_api import db, plugin_settings
from phpnet.testing import HX, REGENCY_A
from plugins.bimtek.models import Level, Participant, SessionStatus
from plugins.bimtek.tests.helpers import add_people, make_session, regency_of, world_of

BASE = f"/r/{REGENCY_A}/bimtek"


@pytest.fixture
def malang(app: Any) -> Any:
    return world_of(REGENCY_A)


def test_the_attendance_list_is_a_clean_printable_page(login_as, malang):
    session_id = make_session(malang.regency_id, expected_participants=6,
                              title="Bimtek saksi bagi PPK")  # fmt: skip
    add_people(session_id, malang.regency_id, Level.PPK, malang.kecamatan_id, 3, name="Hadi")
    page = login_as("pemantau_a").get(f"{BASE}/{session_id}/daftar-hadir").get_data(as_text=True)
    assert "KOMISI PEMILIHAN UMUM KABUPATEN MALANG" in page
    assert "DAFTAR HADIR" in page and "BIMTEK SAKSI BAGI PPK" in page
    assert "Sabtu, 20 Januari 2024" in page and "08.30 WIB" in page and "Aula KPU" in page
    assert "Tanda tangan" in page and f"PPK Kec. {malang.kecamatan_name}" in page
    signatures = re.findall(r'<span class="(sign-left|sign-right)">(\d+)\. ', page)
    assert signatures == [("sign-left", "1"), ("sign-right", "2"), ("sign-left", "3"),
                          ("sign-right", "4"), ("sign-left", "5"), ("sign-right", "6")]  # fmt: skip
    assert page.count('class="blank-row"') == 3  # up to the 6 expected
    assert "print.css" in page and "Penanggung Jawab Kegiatan" in page


def test_the_report_gives_invited_attended_rate_scores_and_notes(login_as, malang):
    session_id = make_session(malang.regency_id, status=SessionStatus.HELD,
                              notes="Peserta meminta modul cetak.")  # fmt: skip
    ids = add_people(session_id, malang.regency_id, Level.PPK, malang.kecamatan_id, 4, attended=3)
    for person_id, (pre, post) in zip(
        ids, [(40, 70), (60, 80), (None, 90), (50, None)], strict=True
    ):
        person = db.session.get(Participant, person_id)
        person.pre_score, person.post_score = pre, post
    db.session.commit()
    page = login_as("anggota_a").get(f"{BASE}/{session_id}/laporan").get_data(as_text=True)
    assert "LAPORAN KEGIATAN" in page
    compact = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "PPK 4 3 75,0%" in compact and "Jumlah 4 3 75,0%" in compact
    assert "Rata-rata pre-test 50,0" in compact and "rata-rata post-test 80,0" in compact
    assert "rata-rata kenaikan +25,0 poin dari 2 peserta" in compact
    assert "Peserta meminta modul cetak." in page


def test_coverage_shows_shares_per_kecamatan_and_the_bodies_never_reached(login_as, malang):
    held = make_session(malang.regency_id, status=SessionStatus.HELD)
    cancelled = make_session(malang.regency_id, status=SessionStatus.CANCELLED)
    add_people(held, malang.regency_id, Level.PPK, malang.kecamatan_id, 2, attended=1)
    add_people(held, malang.regency_id, Level.KPPS, malang.kecamatan_id, 1, attended=1,
               desa_id=malang.desa_id, tps_id=malang.tps_ids[0])  # fmt: skip
    add_people(held, malang.regency_id, Level.KPPS, malang.kecamatan_id, 1, attended=0,
               desa_id=malang.desa_id, tps_id=malang.tps_ids[1])  # fmt: skip
    add_people(cancelled, malang.regency_id, Level.PPK, malang.other_kecamatan_ids[0], 1,
               attended=1)  # fmt: skip
    client = login_as("pemantau_a")
    page = client.get(f"{BASE}/cakupan").get_data(as_text=True)
    kecamatan_total = 1 + len(malang.other_kecamatan_ids)
    compact = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert f"PPK tercakup (1 dari {kecamatan_total})" in compact
    row = re.search(rf">{malang.kecamatan_name}</a></th>(.*?)</tr>", page, re.S).group(1)
    cells = [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    assert cells[0] == "Tercakup" and cells[3] == "1 dari 6" and cells[4] == "16,7%"
    unreached_ppk = page.split('id="unreached-ppk-title"')[1]
    assert f"PPK Kec. {malang.kecamatan_name}<" not in unreached_ppk  # reached
    assert f"({kecamatan_total - 1})" in unreached_ppk  # the cancelled session counts for nobody
    detail = client.get(f"{BASE}/cakupan", query_string={"kecamatan": malang.kecamatan_id})
    body = detail.get_data(as_text=True)
    assert (
        f"KPPS TPS 002 {malang.desa_name}" in body
        and f"KPPS TPS 001 {malang.desa_name}" not in body
    )
    assert client.get(f"{BASE}/cakupan", query_string={"kecamatan": "x"}).status_code == 404


def test_the_threshold_is_set_by_operators_only(login_as, malang):
    assert "75%" in login_as("pemantau_a").get(f"{BASE}/pengaturan").get_data(as_text=True)
    refused = login_as("anggota_a").post(f"{BASE}/pengaturan", data={"attendance_threshold": "90"})
    assert refused.status_code == 403
    client = login_as("operator_a")
    for bad, message in (
        ("0", "Angka harus antara 1 dan 100."),
        ("abc", "bilangan bulat"),
        ("", "Wajib"),
    ):
        response = client.post(f"{BASE}/pengaturan", data={"attendance_threshold": bad})
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert client.post(f"{BASE}/pengaturan", data={"attendance_threshold": "85"}).status_code == 303
    assert plugin_settings(regency_of(REGENCY_A), "bimtek") == {"attendance_threshold": 85}


def test_the_card_shows_the_next_session_attendance_and_coverage(login_as, malang, move_clock):
    move_clock(date(2024, 1, 17))
    soon = datetime(2024, 1, 20, 9, 0)
    make_session(malang.regency_id, title="Bimtek KPPS berikutnya", starts_at=soon)
    make_session(malang.regency_id, title="Bimtek lama direncanakan",
                 starts_at=datetime(2020, 1, 1, 9, 0))  # fmt: skip
    held = make_session(malang.regency_id, status=SessionStatus.HELD)
    add_people(held, malang.regency_id, Level.PPK, malang.kecamatan_id, 4, attended=2)
    card = login_as("pemantau_a").get(f"{BASE}/kartu", headers=HX).get_data(as_text=True)
    assert "<html" not in card
    assert "Bimtek KPPS berikutnya" in card and "Bimtek lama" not in card
    assert "<strong>50,0%</strong>" in card and "ambang 75%" in card
    kecamatan_total = 1 + len(malang.other_kecamatan_ids)
    share = f"{100 / kecamatan_total:.1f}".replace(".", ",")
    assert f'PPK tercakup</th><td class="num">{share}%' in card
