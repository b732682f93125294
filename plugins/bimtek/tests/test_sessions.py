"""Sessions: planning and editing (every bad input, conflicts), the list with
its filters and fixed cost, targets through the region tree, speakers,
materials, deleting, and who may do what."""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, select

from phpnet.plugin_api import AuditEntry, current_team, db
from phpnet.testing import HX, REGENCY_A, REGENCY_B
from plugins.bimtek.models import Level, Material, Session, SessionStatus, Speaker, Target
from plugins.bimtek.tests.helpers import count, make_session, world_of

BASE = f"/r/{REGENCY_A}/bimtek"
PLACES = f"/r/{REGENCY_A}/wilayah/pilihan"  # core's place picker
PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n%%EOF\n"
VALID = {
    "title": "Bimtek penanganan PHPU bagi PPK",
    "topic": "Mencatat kejadian khusus dan memberi keterangan sebagai saksi",
    "held_on": "2024-01-20",
    "starts_at": "08:30",
    "ends_at": "15:00",
    "mode": "luring",
    "venue": "Aula KPU Kabupaten Malang",
    "expected_participants": "20",
    "invitation_number": "12/PP.04-Und/3507/2024",
    "invitation_date": "2024-01-10",
    "status": "direncanakan",
}


@pytest.fixture
def malang(app: Any) -> Any:
    return world_of(REGENCY_A)


def stored(session_id: int) -> Session:
    db.session.expire_all()
    return db.session.get(Session, session_id)


# --- planning ----------------------------------------------------------------------------


def test_an_operator_plans_a_session_with_its_invitation_letter(login_as, malang):
    client = login_as("operator_a")
    data = {**VALID, "invitation_file": (io.BytesIO(PDF), "undangan.pdf")}
    response = client.post(f"{BASE}/baru", data=data)
    assert response.status_code == 303
    created = db.session.execute(select(Session)).scalar_one()
    assert response.headers["Location"].endswith(f"/bimtek/{created.id}/sasaran")
    assert (created.title, created.venue, created.status) == (
        VALID["title"], VALID["venue"], SessionStatus.PLANNED,
    )  # fmt: skip
    assert created.starts_at.strftime("%Y-%m-%d %H:%M") == "2024-01-20 08:30"
    assert created.ends_at.strftime("%H:%M") == "15:00"
    assert created.invitation_document.original_name == "undangan.pdf"
    page = client.get(f"{BASE}/{created.id}").get_data(as_text=True)
    assert "12/PP.04-Und/3507/2024" in page and "Unduh undangan.pdf" in page
    assert "20 Januari 2024, 08.30–15.00 WIB" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Wajib diisi."),
        ({"title": "x" * 201}, "title", "Maksimal 200 karakter."),
        ({"held_on": "20-01-2024"}, "held_on", "Tanggal tidak sah"),
        ({"held_on": "1999-12-31"}, "held_on", "antara tahun 2000 dan 2100"),
        ({"starts_at": "8 pagi"}, "starts_at", "Waktu tidak sah"),
        ({"ends_at": "08:00"}, "ends_at", "Jam selesai harus sesudah jam mulai."),
        ({"venue": ""}, "venue", "Tempat wajib diisi untuk kegiatan tatap muka"),
        ({"mode": "daring", "online_link": ""}, "online_link", "Tautan wajib diisi"),
        ({"mode": "hibrida"}, "mode", "Pilihan tidak sah."),
        ({"status": "selesai"}, "status", "Pilihan tidak sah."),
        ({"expected_participants": "0"}, "expected_participants", "Angka harus antara 1"),
        ({"expected_participants": "99999999999"}, "expected_participants", "Angka harus antara"),
        ({"invitation_date": "2024-02-01"}, "invitation_date", "tidak boleh sesudah tanggal"),
        ({"invitation_number": ""}, "invitation_number", "Isi nomor surat undangan"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(
    login_as, malang, changes, field, message
):
    for headers in ({}, HX):
        response = login_as("operator_a").post(
            f"{BASE}/baru", data={**VALID, **changes}, headers=headers
        )
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert f'id="{field}-error"' in page and message in page
    assert count(Session) == 0


def test_a_letter_that_is_not_a_document_is_refused_and_nothing_is_saved(login_as, malang):
    data = {**VALID, "invitation_file": (io.BytesIO(b"MZ\x90\x00"), "undangan.pdf")}
    response = login_as("operator_a").post(f"{BASE}/baru", data=data)
    assert response.status_code == 422
    assert 'id="invitation_file-error"' in response.get_data(as_text=True)
    assert count(Session) == 0


# --- editing ----------------------------------------------------------------------------


def test_an_edit_saves_and_bumps_the_version(login_as, malang):
    session_id = make_session(malang.regency_id)
    client = login_as("anggota_a")
    form = client.get(f"{BASE}/{session_id}/ubah").get_data(as_text=True)
    assert 'value="Aula KPU"' in form and 'name="version" type="hidden" value="1"' in form
    response = client.post(
        f"{BASE}/{session_id}/ubah",
        data={**VALID, "status": "terlaksana", "notes": "Peserta aktif bertanya.", "version": "1"},
    )
    assert response.status_code == 303
    found = stored(session_id)
    assert (found.status, found.notes, found.version) == (
        SessionStatus.HELD, "Peserta aktif bertanya.", 2,
    )  # fmt: skip


def test_a_stale_edit_gets_409_listing_what_changed_and_the_second_save_wins(login_as, malang):
    session_id = make_session(malang.regency_id)
    mine, theirs = login_as("operator_a"), login_as("anggota_a")
    form = mine.get(f"{BASE}/{session_id}/ubah").get_data(as_text=True)
    loaded = form.split('name="loaded" type="hidden" value="')[1].split('"')[0]
    assert (
        theirs.post(
            f"{BASE}/{session_id}/ubah", data={**VALID, "venue": "Hotel Santika", "version": "1"}
        ).status_code
        == 303
    )
    stale = {**VALID, "venue": "Aula Kecamatan", "version": "1", "loaded": loaded}
    response = mine.post(f"{BASE}/{session_id}/ubah", data=stale)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "sudah diubah orang lain" in page
    assert "Tempat: Aula KPU" in page and "Hotel Santika" in page
    assert stored(session_id).venue == "Hotel Santika"
    again = {**stale, "version": "2"}
    assert mine.post(f"{BASE}/{session_id}/ubah", data=again).status_code == 303
    assert stored(session_id).venue == "Aula Kecamatan"


# --- the list ------------------------------------------------------------------------------


def test_the_list_filters_by_status_year_and_words_and_htmx_gets_the_results_only(login_as, malang):
    from datetime import datetime

    make_session(malang.regency_id, title="Bimtek PPK Kepanjen", status=SessionStatus.HELD)
    make_session(malang.regency_id, title="Bimtek KPPS Sumberpucung")
    make_session(malang.regency_id, title="Bimtek PPS 2023", starts_at=datetime(2023, 11, 1, 9, 0))
    make_session(world_of(REGENCY_B).regency_id, title="Bimtek Surabaya")
    client = login_as("pemantau_a")
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert "3 bimtek" in page and "Bimtek Surabaya" not in page
    held = client.get(f"{BASE}/", query_string={"status": "terlaksana"}).get_data(as_text=True)
    assert "Bimtek PPK Kepanjen" in held and "Sumberpucung" not in held
    year = client.get(f"{BASE}/", query_string={"tahun": "2023"}).get_data(as_text=True)
    assert "Bimtek PPS 2023" in year and "Kepanjen" not in year
    fragment = client.get(f"{BASE}/", query_string={"q": "kpps"}, headers=HX)
    body = fragment.get_data(as_text=True)
    assert 'id="bimtek-results"' in body and "<html" not in body
    assert "Sumberpucung" in body and "Kepanjen" not in body
    bad = client.get(f"{BASE}/", query_string={"status": "x", "tahun": "99999", "page": "-1"})
    assert bad.status_code == 200


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def test_the_list_costs_the_same_queries_for_3_or_25_sessions(login_as, malang):
    from plugins.bimtek.tests.helpers import add_people

    def sessions_with_people(number: int) -> None:
        for _ in range(number):
            session_id = make_session(malang.regency_id)
            add_people(session_id, malang.regency_id, Level.PPK, malang.kecamatan_id, 2)

    client = login_as("operator_a")
    sessions_with_people(3)
    client.get(f"{BASE}/")  # warm the per-worker caches
    with counted_statements() as few:
        client.get(f"{BASE}/")
    sessions_with_people(22)
    client.get(f"{BASE}/")  # the data changed: the caches are filled again
    with counted_statements() as many:
        assert "25 bimtek" in client.get(f"{BASE}/").get_data(as_text=True)
    assert len(many) == len(few)


# --- targets -------------------------------------------------------------------------------


def test_targets_are_picked_through_the_region_tree_with_counts(login_as, malang):
    session_id = make_session(malang.regency_id)
    client = login_as("operator_a")
    page = client.get(f"{BASE}/{session_id}/sasaran").get_data(as_text=True)
    kecamatan = f'<option value="{malang.kecamatan_id}">{malang.kecamatan_name}</option>'
    assert kecamatan in page and f'<option value="{malang.desa_id}">' not in page  # on demand
    assert f'hx-get="{PLACES}/desa?semua=1"' in page  # core's place picker refills the desa
    options = client.get(
        f"{PLACES}/desa", query_string={"kecamatan": malang.kecamatan_id, "semua": "1"}, headers=HX
    ).get_data(as_text=True)
    assert f'<option value="{malang.desa_id}">' in options and "— semua TPS —" in options
    assert 'hx-swap-oob="innerHTML"' in options
    tps = client.get(f"{PLACES}/tps", query_string={"desa": malang.desa_id})
    assert tps.get_data(as_text=True).count("<option") == 4  # placeholder + 3 TPS
    for other in malang.other_kecamatan_ids[:2]:
        client.post(f"{BASE}/{session_id}/sasaran", data={"level": "ppk", "kecamatan": other})
    response = client.post(
        f"{BASE}/{session_id}/sasaran",
        data={"level": "kpps", "kecamatan": malang.kecamatan_id, "desa": malang.desa_id},
        headers=HX,
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert 'id="targets"' in fragment and "<html" not in fragment
    assert "<strong>2</strong> PPK" in fragment and "<strong>3</strong> KPPS" in fragment
    assert "perkiraan <strong>31</strong> orang" in fragment  # 2 x 5 + 3 x 7
    assert f"KPPS semua TPS di {malang.desa_name}" in fragment


def test_a_target_already_covered_is_refused_and_a_wider_one_replaces_narrower(login_as, malang):
    session_id = make_session(malang.regency_id)
    client = login_as("operator_a")
    one_tps = {"level": "kpps", "kecamatan": malang.kecamatan_id, "desa": malang.desa_id,
               "tps": malang.tps_ids[0]}  # fmt: skip
    assert client.post(f"{BASE}/{session_id}/sasaran", data=one_tps).status_code == 303
    whole = {"level": "kpps", "kecamatan": malang.kecamatan_id}
    assert client.post(f"{BASE}/{session_id}/sasaran", data=whole).status_code == 303
    targets = db.session.execute(select(Target)).scalars().all()
    assert [(t.level, t.desa_id, t.tps_id) for t in targets] == [(Level.KPPS, None, None)]
    again = client.post(f"{BASE}/{session_id}/sasaran", data=one_tps)
    assert again.status_code == 422
    assert "sudah termasuk sasaran" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"level": "ppk"}, "Pilih kecamatan."),
        ({"level": "dpr", "kecamatan": "1"}, "Pilihan tidak sah."),
        ({"level": "ppk", "kecamatan": "abc"}, "Pilihan tidak sah."),
        ({"level": "ppk", "kecamatan": "99999999999"}, "Pilihan tidak sah."),
    ],
)
def test_bad_targets_are_refused(login_as, malang, data, message):
    session_id = make_session(malang.regency_id)
    response = login_as("operator_a").post(f"{BASE}/{session_id}/sasaran", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Target) == 0


def test_places_of_another_regency_are_refused_as_targets(login_as, malang):
    surabaya = world_of(REGENCY_B)
    session_id = make_session(malang.regency_id)
    client = login_as("operator_a")
    response = client.post(
        f"{BASE}/{session_id}/sasaran", data={"level": "ppk", "kecamatan": surabaya.kecamatan_id}
    )
    assert response.status_code == 422
    assert "Kecamatan tidak ada di kabupaten/kota ini." in response.get_data(as_text=True)
    wrong_desa = client.post(
        f"{BASE}/{session_id}/sasaran",
        data={"level": "pps", "kecamatan": malang.other_kecamatan_ids[0], "desa": malang.desa_id},
    )
    assert "Desa/kelurahan tidak ada di kecamatan yang dipilih." in wrong_desa.get_data(
        as_text=True
    )
    options = client.get(f"{PLACES}/desa", query_string={"kecamatan": surabaya.kecamatan_id})
    assert options.get_data(as_text=True).count("<option") == 1
    assert count(Target) == 0


# --- speakers, materials, deleting -------------------------------------------------------------


def _team(regency_id: int) -> int:
    from datetime import date

    from phpnet.plugin_api import OfficeUnit, Position, Team, TeamMember

    team = Team(regency_id=regency_id, sk_number="1/2024", sk_date=date(2024, 1, 2),
                signed_by="Ketua KPU")  # fmt: skip
    member = TeamMember(regency_id=regency_id, team=team, name="Siti Rahmawati",
                        position=Position.KETUA, unit=OfficeUnit.DIVISI_HUKUM)  # fmt: skip
    db.session.add_all([team, member])
    db.session.commit()
    return member.id


def test_speakers_come_from_the_team_or_outside_and_materials_are_documents(login_as, malang):
    member_id = _team(malang.regency_id)
    session_id = make_session(malang.regency_id)
    client = login_as("anggota_a")
    response = client.post(
        f"{BASE}/{session_id}/narasumber", data={"team_member": member_id}, headers=HX
    )
    assert response.status_code == 200 and "Siti Rahmawati" in response.get_data(as_text=True)
    client.post(
        f"{BASE}/{session_id}/narasumber", data={"name": "Dr. Ahmad", "institution": "Bawaslu"}
    )
    both = client.post(
        f"{BASE}/{session_id}/narasumber", data={"team_member": member_id, "name": "X"}
    )
    assert both.status_code == 422 and "Pilih salah satu" in both.get_data(as_text=True)
    neither = client.post(f"{BASE}/{session_id}/narasumber", data={})
    assert neither.status_code == 422
    speakers = db.session.execute(select(Speaker.name, Speaker.institution)).all()
    assert sorted(speakers) == [
        ("Dr. Ahmad", "Bawaslu"),
        ("Siti Rahmawati", "KPU Kabupaten Malang"),
    ]
    material = client.post(
        f"{BASE}/{session_id}/materi",
        data={"title": "Modul saksi", "material_file": (io.BytesIO(PDF), "modul.pdf")},
    )
    assert material.status_code == 303
    page = client.get(f"{BASE}/{session_id}").get_data(as_text=True)
    assert "Modul saksi" in page and "Dr. Ahmad" in page
    not_a_pdf = client.post(
        f"{BASE}/{session_id}/materi",
        data={"title": "Palsu", "material_file": (io.BytesIO(b"<html>"), "palsu.pdf")},
    )
    assert not_a_pdf.status_code == 422
    assert count(Material) == 1


def test_a_team_member_of_another_regency_is_refused_as_speaker(login_as, malang):
    other_member = _team(world_of(REGENCY_B).regency_id)
    session_id = make_session(malang.regency_id)
    response = login_as("operator_a").post(
        f"{BASE}/{session_id}/narasumber", data={"team_member": other_member}
    )
    assert response.status_code == 422
    assert current_team(malang.regency_id) is None
    assert count(Speaker) == 0


def test_only_managers_delete_a_session_and_the_deletion_is_audited(login_as, malang):
    session_id = make_session(
        malang.regency_id, targets=[(Level.PPK, malang.kecamatan_id, None, None)]
    )
    assert login_as("anggota_a").post(f"{BASE}/{session_id}/hapus").status_code == 403
    assert login_as("operator_a").post(f"{BASE}/{session_id}/hapus").status_code == 303
    assert count(Session) == 0 and count(Target) == 0
    actions = db.session.execute(
        select(AuditEntry.action, AuditEntry.object_type).where(AuditEntry.action == "delete")
    ).all()
    assert ("delete", "bimtek_session") in actions and ("delete", "bimtek_target") in actions


@pytest.mark.parametrize(
    ("username", "read", "edit", "manage"),
    [
        ("operator_a", 200, 200, True),
        ("anggota_a", 200, 200, False),
        ("pemantau_a", 200, 403, False),
        ("provinsi", 200, 403, False),
        ("admin", 200, 200, True),
        ("operator_b", 404, 404, False),
    ],
)
def test_who_may_read_edit_and_manage(login_as, malang, username, read, edit, manage):
    session_id = make_session(malang.regency_id)
    client = login_as(username)
    for headers in ({}, HX):
        assert client.get(f"{BASE}/{session_id}", headers=headers).status_code == read
        assert client.get(f"{BASE}/{session_id}/ubah", headers=headers).status_code == edit
    if read == 200:
        page = client.get(f"{BASE}/{session_id}").get_data(as_text=True)
        assert ("Hapus bimtek" in page) is manage
        assert ("Ubah bimtek" in page) is (edit == 200)


def test_ids_of_another_regency_answer_404_like_missing_ones(login_as, malang):
    theirs = make_session(world_of(REGENCY_B).regency_id)
    client = login_as("operator_a")
    for url in (f"{BASE}/{theirs}", f"{BASE}/{theirs}/sasaran", f"{BASE}/999999"):
        assert client.get(url).status_code == 404
    assert client.post(f"{BASE}/{theirs}/hapus").status_code == 404
    assert stored(theirs) is not None
