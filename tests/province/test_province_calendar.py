"""The election calendar the province keeps: events and collective leave
days, added, changed and deleted with or without htmx, audited, and refused
with a clear message when the input makes no sense."""

from datetime import date

import pytest
from sqlalchemy import select

from phpnet.audit.models import AuditEntry
from phpnet.extensions import db
from phpnet.province.models import ElectionEvent, EventKind, LeaveDay
from phpnet.testing import HX

CALENDAR = "/provinsi/kalender"


def events() -> dict[str, ElectionEvent]:
    return {e.name: e for e in db.session.execute(select(ElectionEvent)).scalars()}


@pytest.fixture
def determination(app) -> ElectionEvent:
    event = ElectionEvent(
        name="Penetapan hasil", kind=EventKind.RESULT_DETERMINATION, on_date=date(2024, 12, 23)
    )
    db.session.add(event)
    db.session.commit()
    return event


def test_add_an_event_with_its_own_date_is_audited(login_as):
    response = login_as("provinsi").post(
        CALENDAR, data={"name": "Pemungutan suara", "kind": "pemungutan_suara",
                        "on_date": "2024-11-27"},
    )  # fmt: skip
    assert response.status_code == 303
    event = events()["Pemungutan suara"]
    assert event.on_date == date(2024, 11, 27) and event.kind is EventKind.VOTING_DAY
    entry = db.session.execute(
        select(AuditEntry).filter_by(object_type="province_event", action="create")
    ).scalar_one()
    assert entry.actor == "provinsi" and entry.after["name"] == "Pemungutan suara"


def test_a_deadline_in_working_days_shows_its_date(login_as, determination):
    client = login_as("admin")
    response = client.post(
        CALENDAR, headers=HX,
        data={"name": "Batas permohonan MK", "kind": "permohonan_mk",
              "base_event": str(determination.id), "working_days": "3"},
    )  # fmt: skip
    assert response.status_code == 200 and "<html" not in response.text
    assert 'id="calendar"' in response.text
    assert "30 Desember 2024" in response.text  # 23 Dec + 3 working days, past Christmas
    assert "3 hari kerja setelah Penetapan hasil" in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "kind": "lainnya", "on_date": "2024-01-01"}, "Wajib diisi."),
        ({"name": "X", "kind": "lainnya"}, "Isi tanggal, atau pilih kegiatan acuan"),
        ({"name": "X", "kind": "bukan", "on_date": "2024-01-01"}, "Pilihan tidak sah."),
        ({"name": "X", "kind": "lainnya", "working_days": "3"}, "Pilih kegiatan acuan"),
        ({"name": "X" * 201, "kind": "lainnya", "on_date": "2024-01-01"}, "Maksimal 200"),
        ({"name": "X", "kind": "lainnya", "on_date": "1800-01-01"}, "di luar 2000"),
        ({"name": "X", "kind": "lainnya", "base_event": "99999", "working_days": "2"},
         "Pilihan tidak sah."),
    ],
)  # fmt: skip
def test_bad_events_are_refused_next_to_the_field(login_as, data, message):
    response = login_as("provinsi").post(CALENDAR, data=data)
    assert response.status_code == 422 and message in response.text
    assert events() == {}


def test_edit_form_in_place_and_update(login_as, determination):
    client = login_as("provinsi")
    form = client.get(CALENDAR, query_string={"ubah": determination.id}, headers=HX).text
    assert 'name="ubah-name"' in form and 'value="Penetapan hasil"' in form
    response = client.post(
        f"{CALENDAR}/ubah",
        data={"ubah-acara": determination.id, "ubah-name": "Penetapan hasil Pilkada",
              "ubah-kind": "penetapan_hasil", "ubah-on_date": "2024-12-16"},
    )  # fmt: skip
    assert response.status_code == 303
    db.session.refresh(determination)
    assert determination.on_date == date(2024, 12, 16)
    assert determination.name == "Penetapan hasil Pilkada"


def test_an_event_cannot_count_from_itself_or_from_its_own_deadline(login_as, determination):
    deadline = ElectionEvent(name="Batas", kind=EventKind.MK_FILING, base_event=determination,
                             working_days=3)  # fmt: skip
    db.session.add(deadline)
    db.session.commit()
    response = login_as("provinsi").post(
        f"{CALENDAR}/ubah",
        data={"ubah-acara": determination.id, "ubah-name": "Penetapan", "ubah-kind": "lainnya",
              "ubah-base_event": deadline.id, "ubah-working_days": "1"},
    )  # fmt: skip
    assert response.status_code == 422 and "dihitung dari kegiatan yang diubah" in response.text


def test_a_base_event_is_not_deleted_while_a_deadline_counts_from_it(login_as, determination):
    deadline = ElectionEvent(name="Batas", kind=EventKind.MK_FILING, base_event=determination,
                             working_days=3)  # fmt: skip
    db.session.add(deadline)
    db.session.commit()
    client, base_id, deadline_id = login_as("provinsi"), determination.id, deadline.id
    refused = client.post(f"{CALENDAR}/hapus", data={"acara": base_id})
    assert refused.status_code == 409 and "tidak dapat dihapus" in refused.text
    assert client.post(f"{CALENDAR}/hapus", data={"acara": deadline_id}).status_code == 303
    assert client.post(f"{CALENDAR}/hapus", data={"acara": base_id}).status_code == 303
    assert events() == {}
    assert client.post(f"{CALENDAR}/hapus", data={"acara": base_id}).status_code == 404
    assert client.post(f"{CALENDAR}/hapus", data={}).status_code == 422


def test_leave_days_are_added_once_and_deleted(login_as):
    client = login_as("provinsi")
    data = {"day": "2030-01-02", "name": "Cuti bersama Tahun Baru"}
    assert client.post("/provinsi/cuti-bersama", data=data).status_code == 303
    again = client.post("/provinsi/cuti-bersama", data=data)
    assert again.status_code == 422 and "sudah tercatat" in again.text
    leave = db.session.execute(select(LeaveDay)).scalar_one()
    assert "2 Januari 2030" in client.get(CALENDAR).text
    assert client.post("/provinsi/cuti-bersama/hapus", data={"cuti": leave.id}).status_code == 303
    assert db.session.execute(select(LeaveDay)).first() is None


@pytest.mark.parametrize("who", ["operator_a", "anggota_a", "pemantau_a"])
def test_regency_users_cannot_change_the_calendar(login_as, who):
    data = {"name": "X", "kind": "lainnya", "on_date": "2024-01-01"}
    assert login_as(who).post(CALENDAR, data=data).status_code == 403
    assert events() == {}
