"""The province's rakor over HTTP, the journey of issue 9 without a browser:
the province invites all 38 regencies with two agenda items; Kabupaten
Malang confirms two attendees; the province records minutes and a decision
with an action item for every regency; Malang closes its item with a
document; the province sees 1 of 38 done. Regency users see only their own."""

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from phpnet.plugin_api import db
from phpnet.testing import REGENCY_A
from plugins.coordination.models import (
    ActionItem,
    InvitedRegency,
    Meeting,
    MeetingStatus,
)
from plugins.coordination.tests.helpers import PDF

PROVINCE = "/provinsi/rakor"


@pytest.fixture(autouse=True)
def fixed_today(move_clock):
    move_clock(date(2024, 3, 22))


def _new_rakor(client) -> int:
    response = client.post(
        f"{PROVINCE}/baru",
        data={
            "title": "Rakor Persiapan PHPU 2024",
            "held_on": "2024-03-20",
            "starts_at": "13:00",
            "ends_at": "17:00",
            "venue": "Hotel Bumi Surabaya",
            "status": "terjadwal",
            "invitation_number": "123/PY.02-Und/35/2024",
            "invitation_date": "2024-03-15",
            "invite_all": "y",
            "positions": ["Divisi Hukum dan Pengawasan", "Divisi Teknis Penyelenggaraan"],
            "invitation_file": (io.BytesIO(PDF), "undangan.pdf"),
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(re.search(r"/provinsi/rakor/(\d+)", response.headers["Location"]).group(1))


def test_the_journey(login_as, regency):
    province = login_as("provinsi")
    meeting_id = _new_rakor(province)
    assert db.session.execute(select(func.count()).select_from(InvitedRegency)).scalar_one() == 38
    for title in ("Penyusunan jawaban termohon", "Penyiapan alat bukti"):
        assert (
            province.post(f"{PROVINCE}/{meeting_id}/agenda", data={"title": title}).status_code
            == 303
        )

    malang = login_as("operator_a")
    page = malang.get(f"/r/{REGENCY_A}/coordination/")
    assert "Rakor Persiapan PHPU 2024" in page.get_data(as_text=True)
    base = f"/r/{REGENCY_A}/coordination/rakor-provinsi/{meeting_id}"
    for name, position in (
        ("Ahmad Fauzi", "Divisi Hukum dan Pengawasan"),
        ("Dewi Lestari", "Divisi Teknis Penyelenggaraan"),
    ):
        response = malang.post(
            f"{base}/peserta",
            data={"name": name, "office": "KPU Kabupaten Malang", "position": position},
        )
        assert response.status_code == 303
    assert malang.post(f"{base}/konfirmasi").status_code == 303
    assert malang.get(base).status_code == 200
    assert malang.get(f"{base}/undangan").data == PDF

    overview = province.get(f"{PROVINCE}/{meeting_id}").get_data(as_text=True)
    assert "1</strong> sudah konfirmasi" in overview

    agenda = province.get(f"{PROVINCE}/{meeting_id}").get_data(as_text=True)
    item_id = re.search(r"agenda/(\d+)/notulen", agenda).group(1)
    response = province.post(
        f"{PROVINCE}/{meeting_id}/agenda/{item_id}/notulen",
        data={"minutes": "Dibahas jawaban.", "version": "1"},
    )
    assert response.status_code == 303
    response = province.post(
        f"{PROVINCE}/{meeting_id}/keputusan",
        data={
            "text": "Setiap KPU kab/kota menyerahkan daftar alat bukti",
            "action": "Unggah daftar alat bukti",
            "due_on": "2024-03-27",
        },
    )
    assert response.status_code == 303
    assert db.session.execute(select(func.count()).select_from(ActionItem)).scalar_one() == 38
    assert db.session.get(Meeting, meeting_id).status is MeetingStatus.HELD

    malang_id = regency(REGENCY_A).id
    item = db.session.execute(select(ActionItem).filter_by(regency_id=malang_id)).scalar_one()
    response = malang.post(
        f"/r/{REGENCY_A}/coordination/tindak-lanjut/{item.id}",
        data={"status": "selesai", "completed_on": "2024-03-21", "version": str(item.version),
              "evidence_file": (io.BytesIO(PDF), "daftar-alat-bukti.pdf")},
    )  # fmt: skip
    assert response.status_code == 303, response.get_data(as_text=True)
    overview = province.get(f"{PROVINCE}/{meeting_id}").get_data(as_text=True)
    assert "1 dari 38</strong> tindak lanjut selesai" in overview
