"""A regency's own rakor over HTTP: recording, invited bodies through the
region tree, agenda order, minutes without lost updates, decisions with
action items owned by team members, closing them with evidence; each role;
other regencies' ids answer 404; bad input is refused in Indonesian."""

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from phpnet.plugin_api import Desa, Kecamatan, Tps, db
from phpnet.testing import HX, REGENCY_A, REGENCY_B
from plugins.coordination.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    InvitedBody,
    Meeting,
)
from plugins.coordination.tests import helpers
from plugins.coordination.tests.helpers import PDF

BASE = f"/r/{REGENCY_A}/coordination"
NEW = {
    "title": "Rakor persiapan PHPU dengan PPK", "held_on": "2024-03-04", "starts_at": "09:00",
    "ends_at": "12:00", "venue": "Aula KPU Kabupaten Malang", "status": "terjadwal",
}  # fmt: skip


@pytest.fixture(autouse=True)
def fixed_today(move_clock):
    move_clock(date(2024, 3, 10))


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("operator_a", 303),
        ("anggota_a", 303),
        ("pemantau_a", 403),
        ("provinsi", 403),
        ("admin", 303),
    ],
)
def test_who_may_record_a_meeting(login_as, username, status):
    assert login_as(username).post(f"{BASE}/baru", data=NEW).status_code == status
    assert _count(Meeting) == (1 if status == 303 else 0)


def test_other_regencys_operator_sees_nothing(login_as, regency):
    meeting = helpers.regency_meeting(regency(REGENCY_A))
    db.session.commit()
    client = login_as("operator_b")
    assert client.get(f"{BASE}/").status_code == 404
    assert client.get(f"/r/{REGENCY_B}/coordination/{meeting.id}").status_code == 404
    assert (
        client.post(
            f"/r/{REGENCY_B}/coordination/{meeting.id}/agenda", data={"title": "x"}
        ).status_code
        == 404
    )
    assert _count(AgendaItem) == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Wajib diisi."),
        ("title", "x" * 301, "Maksimal 300 karakter."),
        ("held_on", "20-03-2024", "Tanggal tidak sah"),
        ("starts_at", "25:00", "Waktu tidak sah"),
        ("ends_at", "08:00", "Jam selesai harus setelah jam mulai."),
        ("status", "kacau", "Pilihan tidak sah."),
        (
            "invitation_date",
            "2024-03-05",
            "Tanggal surat undangan tidak boleh setelah tanggal rapat.",
        ),
    ],
)
def test_bad_meeting_input_is_refused_next_to_the_field(login_as, field, value, message):
    response = login_as("operator_a").post(f"{BASE}/baru", data={**NEW, field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(Meeting) == 0


def test_invitation_letter_of_the_wrong_kind_is_refused(login_as):
    data = {**NEW, "invitation_file": (io.BytesIO(b"MZ\x90\x00"), "undangan.pdf")}
    response = login_as("operator_a").post(f"{BASE}/baru", data=data)
    assert response.status_code == 422
    assert _count(Meeting) == 0


def _meeting_id(response) -> int:
    return int(re.search(r"/coordination/(\d+)", response.headers["Location"]).group(1))


def test_record_invite_bodies_and_follow_up(login_as, regency):
    malang = regency(REGENCY_A)
    member = helpers.team_member(malang)
    db.session.commit()
    client = login_as("anggota_a")
    meeting_id = _meeting_id(client.post(f"{BASE}/baru", data=NEW))
    url = f"{BASE}/{meeting_id}"
    tps = db.session.execute(select(Tps).filter_by(regency_id=malang.id).limit(1)).scalar_one()
    kecamatan = db.session.get(Kecamatan, tps.kecamatan_id)
    for data in (
        {"body": "ppk"},
        {"body": "pps", "kecamatan": tps.kecamatan_id},
        {"body": "kpps", "kecamatan": tps.kecamatan_id, "desa": tps.desa_id, "tps": tps.id},
    ):
        assert client.post(f"{url}/badan", data=data).status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Semua PPK" in page and f"Semua PPS Kecamatan {kecamatan.name}" in page
    assert "KPPS TPS 001" in page
    for title in ("Evaluasi rekapitulasi PPK", "Penyiapan saksi"):
        client.post(f"{url}/agenda", data={"title": title})
    first, second = db.session.execute(select(AgendaItem).order_by(AgendaItem.position)).scalars()
    assert client.post(f"{url}/agenda/{second.id}/pindah", data={"arah": "naik"}).status_code == 303
    page = client.get(url).get_data(as_text=True)
    agenda = page[page.index('<ol class="coordination-agenda">') :]
    assert agenda.index("Penyiapan saksi") < agenda.index("Evaluasi rekapitulasi PPK")
    response = client.post(
        f"{url}/keputusan",
        data={"text": "PPK menyerahkan salinan D.Hasil", "agenda_item": first.id,
              "action": "Kumpulkan salinan D.Hasil", "owner": member.id, "due_on": "2024-03-08"},
    )  # fmt: skip
    assert response.status_code == 303
    item = db.session.execute(select(ActionItem)).scalar_one()
    assert item.owner_member_id == member.id and item.regency_id == malang.id
    page = client.get(url).get_data(as_text=True)
    assert "coordination-overdue" in page and "Terlambat" in page  # due 8 March, today 10 March


def test_invited_body_outside_the_regency_is_refused(login_as, regency):
    meeting = helpers.regency_meeting(regency(REGENCY_A))
    elsewhere = db.session.execute(
        select(Desa).filter_by(regency_id=regency(REGENCY_B).id).limit(1)
    ).scalar_one()
    db.session.commit()
    response = login_as("operator_a").post(
        f"{BASE}/{meeting.id}/badan", data={"body": "pps", "kecamatan": elsewhere.kecamatan_id}
    )
    assert response.status_code == 422
    assert "Pilih kecamatan di kabupaten/kota ini." in response.get_data(as_text=True)
    assert _count(InvitedBody) == 0


def test_body_form_picks_places_through_cores_place_picker(login_as, regency):
    malang = regency(REGENCY_A)
    meeting = helpers.regency_meeting(malang)
    tps = db.session.execute(select(Tps).filter_by(regency_id=malang.id).limit(1)).scalar_one()
    desa = db.session.get(Desa, tps.desa_id)
    db.session.commit()
    client = login_as("operator_a")
    page = client.get(f"{BASE}/{meeting.id}").get_data(as_text=True)
    assert f'hx-get="/r/{REGENCY_A}/wilayah/pilihan/desa?semua=1"' in page
    options = client.get(
        f"/r/{REGENCY_A}/wilayah/pilihan/desa?kecamatan={tps.kecamatan_id}&semua=1", headers=HX
    ).get_data(as_text=True)
    assert "— semua desa/kelurahan —" in options and desa.name in options
    # Without JavaScript the form reloads with the desa and TPS of its choices.
    reloaded = client.get(
        f"{BASE}/{meeting.id}?muat_pilihan=1&body=kpps&kecamatan={tps.kecamatan_id}"
        f"&desa={tps.desa_id}"
    ).get_data(as_text=True)
    assert f'<option value="{tps.id}">TPS {tps.number:03d}</option>' in reloaded


def test_decision_owner_must_be_a_team_member(login_as, regency):
    meeting = helpers.regency_meeting(regency(REGENCY_A))
    stranger = helpers.team_member(regency(REGENCY_B), "Orang Surabaya")
    db.session.commit()
    response = login_as("operator_a").post(
        f"{BASE}/{meeting.id}/keputusan",
        data={"text": "Keputusan", "action": "Tugas", "owner": stranger.id, "due_on": "2024-03-20"},
    )
    assert response.status_code == 422
    assert "Pilih penanggung jawab dari daftar." in response.get_data(as_text=True)
    assert _count(ActionItem) == 0


def test_minutes_saved_over_a_newer_version_are_refused(login_as, regency):
    meeting = helpers.regency_meeting(regency(REGENCY_A))
    (item,) = helpers.agenda(meeting, "Evaluasi")
    db.session.commit()
    first, second = login_as("operator_a"), login_as("anggota_a")
    url = f"{BASE}/{meeting.id}/agenda/{item.id}/notulen"
    assert first.post(url, data={"minutes": "Versi operator", "version": "1"}).status_code == 303
    response = second.post(url, data={"minutes": "Versi anggota", "version": "1"}, headers=HX)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Versi operator" in body and "Versi anggota" in body  # theirs shown, mine kept
    db.session.expire_all()
    assert db.session.get(AgendaItem, item.id).minutes == "Versi operator"


def test_htmx_adds_an_agenda_item_as_a_fragment(login_as, regency):
    meeting = helpers.regency_meeting(regency(REGENCY_A))
    db.session.commit()
    response = login_as("operator_a").post(
        f"{BASE}/{meeting.id}/agenda", data={"title": "Saksi"}, headers=HX
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith(
        '<section class="card" id="agenda"'
    )
    assert "Mata acara “Saksi” ditambahkan." in body and "<html" not in body
    empty = login_as("operator_a").post(
        f"{BASE}/{meeting.id}/agenda", data={"title": ""}, headers=HX
    )
    assert empty.status_code == 422 and "Wajib diisi." in empty.get_data(as_text=True)


def test_closing_an_action_item_needs_a_date_and_a_document(login_as, regency):
    malang = regency(REGENCY_A)
    meeting = helpers.regency_meeting(malang)
    item = helpers.action(helpers.decision(meeting), malang, date(2024, 3, 15))
    db.session.commit()
    client = login_as("anggota_a")
    url = f"{BASE}/tindak-lanjut/{item.id}"
    response = client.post(url, data={"status": "selesai", "version": "1"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Isi tanggal selesai." in body and "Unggah dokumen bukti penyelesaian." in body
    late = client.post(
        url,
        data={
            "status": "selesai",
            "version": "1",
            "completed_on": "2024-03-11",
            "evidence_file": (io.BytesIO(PDF), "bukti.pdf"),
        },
    )
    assert late.status_code == 422 and "tidak boleh setelah hari ini" in late.get_data(as_text=True)
    done = client.post(
        url,
        data={
            "status": "selesai",
            "version": "1",
            "completed_on": "2024-03-09",
            "evidence_file": (io.BytesIO(PDF), "bukti.pdf"),
        },
    )
    assert done.status_code == 303
    db.session.expire_all()
    closed = db.session.get(ActionItem, item.id)
    assert (
        closed.status is ActionStatus.DONE and closed.evidence_document.original_name == "bukti.pdf"
    )
    stale = client.post(url, data={"status": "proses", "version": "1"})
    assert stale.status_code == 409


def test_pemantau_reads_but_cannot_close(login_as, regency):
    malang = regency(REGENCY_A)
    item = helpers.action(
        helpers.decision(helpers.regency_meeting(malang)), malang, date(2024, 3, 15)
    )
    db.session.commit()
    client = login_as("pemantau_a")
    assert client.get(f"{BASE}/tindak-lanjut/{item.id}").status_code == 200
    assert (
        client.post(
            f"{BASE}/tindak-lanjut/{item.id}", data={"status": "proses", "version": "1"}
        ).status_code
        == 403
    )


def test_action_list_filters_overdue(login_as, regency):
    malang = regency(REGENCY_A)
    decision = helpers.decision(helpers.regency_meeting(malang))
    helpers.action(decision, malang, date(2024, 3, 1), description="Sudah lewat")
    helpers.action(decision, malang, date(2024, 3, 30), description="Masih lama")
    helpers.action(decision, malang, date(2024, 3, 1), ActionStatus.DONE, description="Beres")
    db.session.commit()
    client = login_as("pemantau_a")
    page = client.get(f"{BASE}/tindak-lanjut?status=terlambat").get_data(as_text=True)
    assert "Sudah lewat" in page and "Masih lama" not in page and "Beres" not in page
    fragment = client.get(f"{BASE}/tindak-lanjut?status=selesai", headers=HX).get_data(as_text=True)
    assert "Beres" in fragment and "Sudah lewat" not in fragment and "<html" not in fragment


def test_list_costs_the_same_number_of_queries_for_many_meetings(login_as, regency):
    from sqlalchemy import event

    malang = regency(REGENCY_A)
    client = login_as("operator_a")

    def cost() -> int:
        statements = []
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(f"{BASE}/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    meeting = helpers.regency_meeting(malang)
    helpers.action(helpers.decision(meeting), malang, date(2024, 3, 15))
    db.session.commit()
    few = cost()
    for number in range(10):
        other = helpers.regency_meeting(malang, title=f"Rakor {number}")
        helpers.action(helpers.decision(other), malang, date(2024, 3, 15))
    db.session.commit()
    assert cost() == few


def test_outputs_of_a_meeting(login_as, regency):
    from docx import Document as Docx
    from openpyxl import load_workbook

    malang = regency(REGENCY_A)
    member = helpers.team_member(malang)
    meeting = helpers.regency_meeting(malang, title="Rakor PPK Maret")
    helpers.invite_body(meeting)
    (item,) = helpers.agenda(meeting, "Evaluasi rekapitulasi")
    item.minutes = "PPK melaporkan hasil rekapitulasi."
    helpers.attendee(meeting, malang, "Budi Santoso", office="PPK Kepanjen", present=True)
    helpers.action(
        helpers.decision(meeting),
        malang,
        date(2024, 3, 8),
        owner_member_id=member.id,
        description='=HYPERLINK("x")',
    )
    db.session.commit()
    client = login_as("pemantau_a")
    url = f"{BASE}/{meeting.id}"
    invitation = client.get(f"{url}/cetak/undangan").get_data(as_text=True)
    assert "KOMISI PEMILIHAN UMUM KABUPATEN MALANG" in invitation and "Semua PPK" in invitation
    attendance = client.get(f"{url}/cetak/daftar-hadir").get_data(as_text=True)
    assert "Tanda tangan" in attendance and "Budi Santoso" in attendance
    minutes = client.get(f"{url}/cetak/notulen").get_data(as_text=True)
    assert "NOTULEN RAPAT KOORDINASI" in minutes and "PPK melaporkan hasil rekapitulasi." in minutes
    docx = client.get(f"{url}/notulen.docx")
    assert docx.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    text = "\n".join(p.text for p in Docx(io.BytesIO(docx.data)).paragraphs)
    assert "PPK melaporkan hasil rekapitulasi." in text and "Siti Rahmawati" in text
    sheet = load_workbook(io.BytesIO(client.get(f"{BASE}/tindak-lanjut.xlsx").data)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("x")']
    assert cells and cells[0].data_type == "s"  # text, never a formula
    assert "Ya" in [c.value for row in sheet.iter_rows() for c in row]  # overdue
