"""Province rakor rows are shared by 38 regencies: each regency reads a
province meeting only when invited, and only its own delegates and action
items; the province reads and edits them all."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from phpnet.plugin_api import db
from phpnet.testing import HX, REGENCY_A, REGENCY_B
from plugins.coordination.models import ActionStatus, Attendee, InvitedRegency, Meeting
from plugins.coordination.tests import helpers

SIDOARJO = "3515"


@pytest.fixture(autouse=True)
def fixed_today(move_clock):
    move_clock(date(2024, 3, 18))


@pytest.fixture
def rakor(regency):
    malang, surabaya = regency(REGENCY_A), regency(REGENCY_B)
    meeting = helpers.province_meeting([malang, surabaya], title="Rakor Provinsi Maret")
    helpers.agenda(meeting, "Penyusunan jawaban")
    decision = helpers.decision(meeting, "Setiap KPU menyerahkan daftar bukti")
    helpers.action(decision, malang, date(2024, 3, 25), description="Tugas untuk Malang")
    helpers.action(decision, surabaya, date(2024, 3, 10), description="Tugas untuk Surabaya")
    helpers.attendee(meeting, surabaya, "Utusan Surabaya")
    helpers.attendee(meeting, None, "Staf Provinsi")
    db.session.commit()
    return meeting


def test_invited_regency_sees_only_its_own(login_as, rakor):
    page = login_as("pemantau_a").get(f"/r/{REGENCY_A}/coordination/rakor-provinsi/{rakor.id}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Penyusunan jawaban" in body and "Setiap KPU menyerahkan daftar bukti" in body
    assert "Tugas untuk Malang" in body
    assert "Tugas untuk Surabaya" not in body and "Utusan Surabaya" not in body
    assert "Staf Provinsi" not in body


def test_regency_not_invited_gets_404(login_as, regency, rakor):
    db.session.execute(
        InvitedRegency.__table__.delete().where(InvitedRegency.regency_id == regency(REGENCY_A).id)
    )
    db.session.commit()
    client = login_as("operator_a")
    assert client.get(f"/r/{REGENCY_A}/coordination/rakor-provinsi/{rakor.id}").status_code == 404
    data = {"name": "X", "office": "KPU", "position": "Y"}
    assert (
        client.post(
            f"/r/{REGENCY_A}/coordination/rakor-provinsi/{rakor.id}/peserta", data=data
        ).status_code
        == 404
    )
    assert "Rakor Provinsi Maret" not in client.get(f"/r/{REGENCY_A}/coordination/").get_data(
        as_text=True
    )


def test_province_meeting_is_not_a_regency_meeting(login_as, rakor):
    # The regency's own-meeting routes never reach a province meeting.
    client = login_as("operator_a")
    assert client.get(f"/r/{REGENCY_A}/coordination/{rakor.id}").status_code == 404
    assert (
        client.post(
            f"/r/{REGENCY_A}/coordination/{rakor.id}/agenda", data={"title": "x"}
        ).status_code
        == 404
    )


def test_regency_cannot_touch_another_regencys_delegate_or_action(login_as, regency, rakor):
    surabaya_delegate = db.session.execute(
        select(Attendee).filter_by(name="Utusan Surabaya")
    ).scalar_one()
    client = login_as("operator_a")
    rakor_url = f"/r/{REGENCY_A}/coordination/rakor-provinsi/{rakor.id}"
    url = f"{rakor_url}/peserta/{surabaya_delegate.id}/hapus"
    assert client.post(url).status_code == 404
    from plugins.coordination.models import ActionItem

    theirs = db.session.execute(
        select(ActionItem).filter_by(regency_id=regency(REGENCY_B).id)
    ).scalar_one()
    assert client.get(f"/r/{REGENCY_A}/coordination/tindak-lanjut/{theirs.id}").status_code == 404
    assert db.session.execute(select(func.count()).select_from(Attendee)).scalar_one() == 2


def test_confirmation_needs_someone_named(login_as, regency, rakor):
    client = login_as("operator_a")
    url = f"/r/{REGENCY_A}/coordination/rakor-provinsi/{rakor.id}"
    refused = client.post(f"{url}/konfirmasi", headers=HX)
    assert refused.status_code == 409 and "Catat dahulu siapa yang akan hadir" in refused.get_data(
        as_text=True
    )
    bad = client.post(
        f"{url}/peserta", data={"name": "", "office": "KPU", "position": "Divisi Teknis"}
    )
    assert bad.status_code == 422 and "Wajib diisi." in bad.get_data(as_text=True)
    client.post(
        f"{url}/peserta",
        data={"name": "Ahmad", "office": "KPU Kabupaten Malang", "position": "Divisi Teknis"},
    )
    fragment = client.post(f"{url}/konfirmasi", headers=HX)
    assert fragment.status_code == 200 and "Kehadiran dikonfirmasi" in fragment.get_data(
        as_text=True
    )
    assert login_as("anggota_a").post(f"{url}/konfirmasi").status_code == 403


def test_province_overview_and_decision_progress(login_as, regency, rakor):
    from plugins.coordination.models import ActionItem

    item = db.session.execute(
        select(ActionItem).filter_by(regency_id=regency(REGENCY_A).id)
    ).scalar_one()
    item.status = ActionStatus.DONE
    item.completed_on = date(2024, 3, 17)
    db.session.commit()
    client = login_as("provinsi")
    page = client.get(f"/provinsi/rakor/{rakor.id}").get_data(as_text=True)
    assert "<strong>2</strong> diundang" in page
    assert "1 dari 2</strong> tindak lanjut selesai" in page and "1 terlambat" in page
    decision = client.get(f"/provinsi/rakor/{rakor.id}/keputusan/{item.decision_id}").get_data(
        as_text=True
    )
    assert "1 dari 2</strong> selesai" in decision and "coordination-overdue" in decision


@pytest.mark.parametrize("username", ["operator_a", "anggota_a", "pemantau_a"])
def test_province_pages_are_not_for_regency_roles(login_as, rakor, username):
    client = login_as(username)
    assert client.get("/provinsi/rakor/").status_code == 403
    assert client.get(f"/provinsi/rakor/{rakor.id}").status_code == 403


def test_province_form_needs_invitees_and_keeps_confirmed_ones(login_as, regency, rakor):
    client = login_as("provinsi")
    data = {
        "title": "Rakor",
        "held_on": "2024-03-20",
        "starts_at": "13:00",
        "venue": "Surabaya",
        "status": "terjadwal",
    }
    refused = client.post("/provinsi/rakor/baru", data=data)
    assert refused.status_code == 422
    assert "Pilih KPU kabupaten/kota yang diundang" in refused.get_data(as_text=True)
    invitation = db.session.execute(
        select(InvitedRegency).filter_by(regency_id=regency(REGENCY_A).id)
    ).scalar_one()
    invitation.confirmed_at = date(2024, 3, 1)
    db.session.commit()
    # Inviting only Sidoarjo now: Malang confirmed and Surabaya has items, both stay.
    edit = {**data, "version": "1", "regencies": [str(regency(SIDOARJO).id)]}
    assert client.post(f"/provinsi/rakor/{rakor.id}/ubah", data=edit).status_code == 303
    invited = set(
        db.session.execute(
            select(InvitedRegency.regency_id).filter_by(meeting_id=rakor.id)
        ).scalars()
    )
    assert invited == {regency(REGENCY_A).id, regency(REGENCY_B).id, regency(SIDOARJO).id}
    stale = client.post(f"/provinsi/rakor/{rakor.id}/ubah", data={**edit, "title": "Judul lain"})
    assert stale.status_code == 409 and "sudah diubah orang lain" in stale.get_data(as_text=True)


def test_attendance_taken_by_the_province(login_as, rakor):
    people = {p.name: p for p in db.session.execute(select(Attendee)).scalars()}
    client = login_as("provinsi")
    page = client.get(f"/provinsi/rakor/{rakor.id}/kehadiran").get_data(as_text=True)
    assert "Utusan Surabaya" in page and "Kota Surabaya" in page
    client.post(
        f"/provinsi/rakor/{rakor.id}/kehadiran", data={"hadir": [str(people["Utusan Surabaya"].id)]}
    )
    db.session.expire_all()
    assert db.session.get(Attendee, people["Utusan Surabaya"].id).present is True
    assert db.session.get(Attendee, people["Staf Provinsi"].id).present is False
    assert db.session.get(Meeting, rakor.id).status.value == "terlaksana"


def test_province_minutes_docx_and_xlsx(login_as, rakor):
    from docx import Document as Docx
    from openpyxl import load_workbook

    client = login_as("provinsi")
    text = "\n".join(
        p.text
        for p in Docx(
            io.BytesIO(client.get(f"/provinsi/rakor/{rakor.id}/notulen.docx").data)
        ).paragraphs
    )
    assert "KOMISI PEMILIHAN UMUM PROVINSI JAWA TIMUR" in text and "Penyusunan jawaban" in text
    sheet = load_workbook(
        io.BytesIO(client.get(f"/provinsi/rakor/{rakor.id}/tindak-lanjut.xlsx").data)
    ).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "Kota Surabaya" in values and "Kabupaten Malang" in values
    invitation = client.get(f"/provinsi/rakor/{rakor.id}/cetak/undangan").get_data(as_text=True)
    assert "Kabupaten Malang" in invitation and "Kota Surabaya" in invitation
