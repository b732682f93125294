"""Recording an activity with the bodies chosen through the region tree,
editing it without overwriting another save, and its page: bodies,
findings, follow-ups closed with evidence, documents, deletion."""

import io
import re

import pytest
from sqlalchemy import func, select

from phpnet.plugin_api import AuditEntry, Kecamatan, db
from phpnet.testing import HX, REGENCY_A, REGENCY_B
from plugins.supervision.models import (
    Activity,
    ActivityDocument,
    Body,
    BodyLevel,
    Finding,
    FollowUp,
    FollowUpStatus,
    Kind,
)
from plugins.supervision.tests import helpers
from plugins.supervision.tests.helpers import PDF, TODAY

BASE = f"/r/{REGENCY_A}/supervision"


@pytest.fixture
def malang(regency):
    return regency(REGENCY_A)


@pytest.fixture
def people(malang):
    members = helpers.team(malang, "Siti Rahmawati", "Budi Santoso")
    db.session.commit()
    return members


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _new_activity_data(place, desa_list, people, **overrides):
    data = {
        "kind": "supervisi",
        "started_on": TODAY.isoformat(),
        "ended_on": "",
        "purpose": "Supervisi kesiapan rekapitulasi kecamatan",
        "recommendations": "Simpan salinan C.Hasil di kotak tersegel",
        "members": [str(people[0].id)],
        "kecamatan": str(place.id),
        "ppk": "1",
        "desa": [str(d.id) for d in desa_list],
    }
    return {**data, **overrides}


# --- Recording ----------------------------------------------------------------------------


def test_anggota_records_a_visit_to_the_ppk_and_two_pps(login_as, malang, people, today):
    kecamatan = helpers.world_kecamatan(malang)
    desa = helpers.desa_of(kecamatan, 2)
    client = login_as("anggota_a")
    response = client.post(f"{BASE}/baru", data=_new_activity_data(kecamatan, desa, people))
    assert response.status_code == 303
    made = db.session.execute(select(Activity)).scalar_one()
    assert response.headers["Location"].endswith(f"{BASE}/{made.id}")
    assert made.kind is Kind.SUPERVISI and made.ended_on == TODAY
    assert sorted((b.level, b.desa_id) for b in made.bodies) == sorted(
        [(BodyLevel.PPK, None)] + [(BodyLevel.PPS, d.id) for d in desa]
    )
    assert [m.team_member_id for m in made.members] == [people[0].id]
    page = client.get(response.headers["Location"]).text
    assert f"PPK Kecamatan {kecamatan.name}" in page and desa[1].name in page
    assert "1 PPK · 2 PPS · 0 KPPS" in page
    assert "Siti Rahmawati" in page


def test_kpps_of_a_tps_are_recorded_with_their_desa(login_as, malang, people, today):
    kecamatan = helpers.world_kecamatan(malang)
    desa = helpers.desa_of(kecamatan, 1)[0]
    tps = helpers.tps_of(desa)[:2]
    data = _new_activity_data(
        kecamatan, [], people, ppk="", tps_desa=str(desa.id), tps=[str(t.id) for t in tps]
    )
    assert login_as("operator_a").post(f"{BASE}/baru", data=data).status_code == 303
    bodies = db.session.execute(select(Body).order_by(Body.tps_id)).scalars().all()
    assert [(b.level, b.desa_id, b.tps_id) for b in bodies] == [
        (BodyLevel.KPPS, desa.id, t.id) for t in tps
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "rapat"}, "Pilihan tidak sah"),
        ({"started_on": ""}, "Wajib diisi"),
        ({"started_on": "2024-03-12"}, "tidak boleh dimulai setelah hari ini"),
        ({"ended_on": "2024-03-01"}, "tidak boleh sebelum tanggal mulai"),
        ({"purpose": "   "}, "Wajib diisi"),
        ({"purpose": "x" * 10_001}, "10000"),
        ({"members": ["999999"]}, "Pilih anggota Tim Penyelesaian PHP"),
        ({"ppk": "", "desa": []}, "sedikitnya satu PPK, PPS atau KPPS"),
        ({"kecamatan": ""}, "sedikitnya satu PPK, PPS atau KPPS"),
        ({"kecamatan": "abc"}, "Pilihan lembaga tidak dikenal"),
        ({"desa": ["99999999999"]}, "Pilihan lembaga tidak dikenal"),
    ],
)
def test_bad_input_is_refused_next_to_the_field(login_as, malang, people, today, change, message):
    kecamatan = helpers.world_kecamatan(malang)
    data = _new_activity_data(kecamatan, helpers.desa_of(kecamatan, 1), people, **change)
    response = login_as("operator_a").post(f"{BASE}/baru", data=data)
    assert response.status_code == 422
    assert message in response.text
    assert _count(Activity) == 0


def test_a_desa_of_another_kecamatan_or_regency_is_refused(
    login_as, malang, regency, people, today
):
    kecamatan = helpers.world_kecamatan(malang)
    other_kecamatan = (
        db.session.execute(
            select(Kecamatan).filter(
                Kecamatan.regency_id == malang.id, Kecamatan.id != kecamatan.id
            )
        )
        .scalars()
        .first()
    )
    elsewhere = helpers.desa_of(other_kecamatan, 1)
    surabaya = helpers.desa_of(helpers.world_kecamatan(regency(REGENCY_B)), 1)
    client = login_as("operator_a")
    for desa in (elsewhere, surabaya):
        response = client.post(f"{BASE}/baru", data=_new_activity_data(kecamatan, desa, people))
        assert response.status_code == 422
        assert f"tidak berada di Kecamatan {kecamatan.name}" in response.text
    foreign = helpers.world_kecamatan(regency(REGENCY_B))
    response = client.post(f"{BASE}/baru", data=_new_activity_data(foreign, surabaya, people))
    assert response.status_code == 422 and "tidak ada di kabupaten/kota ini" in response.text
    assert _count(Activity) == 0


def test_the_chooser_loads_the_desa_and_tps_of_its_parent(login_as, malang, today):
    kecamatan = helpers.world_kecamatan(malang)
    desa = helpers.desa_of(kecamatan, 1)[0]
    client = login_as("anggota_a")
    choices = client.get(
        f"{BASE}/pilihan/lembaga", query_string={"kecamatan": kecamatan.id}, headers=HX
    )
    assert choices.status_code == 200 and "<html" not in choices.text
    assert f"PPK Kecamatan {kecamatan.name}" in choices.text
    assert f'name="desa" value="{desa.id}"' in choices.text
    assert "(3 TPS)" in choices.text  # the world has 3 TPS in each of its first desa
    tps = client.get(f"{BASE}/pilihan/tps", query_string={"tps_desa": desa.id}, headers=HX)
    assert tps.text.count('name="tps"') == 3 and "KPPS TPS 001" in tps.text


def test_without_javascript_the_refresh_button_reloads_the_choices(login_as, malang, people, today):
    kecamatan = helpers.world_kecamatan(malang)
    desa = helpers.desa_of(kecamatan, 1)[0]
    data = {"kecamatan": str(kecamatan.id), "tps_desa": str(desa.id), "muat_pilihan": "1"}
    response = login_as("anggota_a").post(f"{BASE}/baru", data=data)
    assert response.status_code == 200
    assert f'name="desa" value="{desa.id}"' in response.text and "KPPS TPS 002" in response.text
    assert _count(Activity) == 0


def test_the_chooser_offers_nothing_of_another_regency(login_as, regency, today):
    foreign = helpers.world_kecamatan(regency(REGENCY_B))
    desa = helpers.desa_of(foreign, 1)[0]
    client = login_as("anggota_a")
    choices = client.get(f"{BASE}/pilihan/lembaga", query_string={"kecamatan": foreign.id})
    assert 'name="desa"' not in choices.text and foreign.name not in choices.text
    tps = client.get(f"{BASE}/pilihan/tps", query_string={"tps_desa": desa.id})
    assert 'name="tps"' not in tps.text


# --- Who may do what ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status", "can_edit"),
    [
        ("operator_a", 200, True),
        ("anggota_a", 200, True),
        ("pemantau_a", 200, False),
        ("provinsi", 200, False),
        ("admin", 200, True),
        ("operator_b", 404, False),
    ],
)
def test_activity_page_by_role(login_as, malang, username, status, can_edit):
    made = helpers.activity(malang)
    db.session.commit()
    response = login_as(username).get(f"{BASE}/{made.id}")
    assert response.status_code == status
    if status == 200:
        assert ("Catat temuan" in response.text) is can_edit
        assert ("Hapus kegiatan" in response.text) is (username in ("operator_a", "admin"))


def test_pemantau_may_not_record(login_as, malang, people, today):
    kecamatan = helpers.world_kecamatan(malang)
    client = login_as("pemantau_a")
    assert client.get(f"{BASE}/baru").status_code == 403
    data = _new_activity_data(kecamatan, [], people)
    assert client.post(f"{BASE}/baru", data=data).status_code == 403
    assert _count(Activity) == 0


def test_ids_of_another_regency_answer_404_like_missing_ones(login_as, regency):
    surabaya = helpers.activity(regency(REGENCY_B))
    found = helpers.finding(surabaya)
    db.session.commit()
    client = login_as("operator_a")
    for url in (
        f"{BASE}/{surabaya.id}",
        f"{BASE}/{surabaya.id}/ubah",
        f"{BASE}/99999",
        f"{BASE}/99999999999",
    ):
        assert client.get(url).status_code == 404
    removal = client.post(f"{BASE}/{surabaya.id}/temuan/{found.id}/hapus")
    assert removal.status_code == 404
    assert _count(Finding) == 1


def test_a_finding_of_another_activity_answers_404(login_as, malang):
    first, second = helpers.activity(malang), helpers.activity(malang)
    found = helpers.finding(first)
    db.session.commit()
    response = login_as("operator_a").post(f"{BASE}/{second.id}/temuan/{found.id}/hapus")
    assert response.status_code == 404
    assert _count(Finding) == 1


# --- Editing ------------------------------------------------------------------------------


def test_edit_saves_and_keeps_the_audit(login_as, malang, people, today):
    made = helpers.activity(malang, members=[people[0]])
    db.session.commit()
    client = login_as("operator_a")
    form = client.get(f"{BASE}/{made.id}/ubah").text
    assert 'name="version" type="hidden" value="1"' in form or 'value="1"' in form
    data = {
        "kind": "advokasi", "started_on": "2024-03-08", "ended_on": "2024-03-09",
        "purpose": "Advokasi PPK", "recommendations": "", "members": [str(people[1].id)],
        "version": "1",
    }  # fmt: skip
    assert client.post(f"{BASE}/{made.id}/ubah", data=data).status_code == 303
    db.session.expire_all()
    saved = db.session.get(Activity, made.id)
    assert (saved.kind, saved.purpose, saved.version) == (Kind.ADVOKASI, "Advokasi PPK", 2)
    assert [m.team_member_id for m in saved.members] == [people[1].id]
    audit = (
        db.session.execute(
            select(AuditEntry).filter_by(object_type="supervision_activity", action="update")
        )
        .scalars()
        .all()
    )
    assert audit


def test_a_stale_edit_is_refused_with_what_changed(login_as, malang, people, today):
    made = helpers.activity(malang, purpose="Semula")
    db.session.commit()
    first = {
        "kind": "supervisi", "started_on": TODAY.isoformat(), "purpose": "Diubah oleh operator",
        "version": "1",
    }  # fmt: skip
    assert login_as("operator_a").post(f"{BASE}/{made.id}/ubah", data=first).status_code == 303
    second = {**first, "purpose": "Diubah oleh anggota"}
    response = login_as("anggota_a").post(f"{BASE}/{made.id}/ubah", data=second)
    assert response.status_code == 409
    assert "sudah diubah orang lain" in response.text
    assert "Maksud dan tujuan: tersimpan “Diubah oleh operator”" in response.text
    assert 'value="2"' in response.text  # saving again is a deliberate choice
    db.session.expire_all()
    assert db.session.get(Activity, made.id).purpose == "Diubah oleh operator"


def test_operator_deletes_an_activity_and_anggota_may_not(login_as, malang):
    made = helpers.activity(malang)
    helpers.finding(made)
    db.session.commit()
    assert login_as("anggota_a").post(f"{BASE}/{made.id}/hapus").status_code == 403
    response = login_as("operator_a").post(f"{BASE}/{made.id}/hapus")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{BASE}/")
    assert (_count(Activity), _count(Body), _count(Finding)) == (0, 0, 0)


# --- Bodies added later -------------------------------------------------------------------


def test_bodies_are_added_with_htmx_and_duplicates_skipped(login_as, malang, today):
    kecamatan = helpers.world_kecamatan(malang)
    desa = helpers.desa_of(kecamatan, 2)
    made = helpers.activity(malang, kecamatan, pps=desa[:1])
    db.session.commit()
    data = {"kecamatan": str(kecamatan.id), "ppk": "1", "desa": [str(d.id) for d in desa]}
    response = login_as("anggota_a").post(f"{BASE}/{made.id}/lembaga", data=data, headers=HX)
    assert response.status_code == 200 and "<html" not in response.text
    assert 'id="sv-bodies"' in response.text
    assert "1 lembaga ditambahkan. 2 lembaga sudah tercatat sebelumnya." in response.text
    assert _count(Body) == 3


def test_a_bad_body_choice_returns_the_section_with_the_reason(login_as, malang, today):
    made = helpers.activity(malang)
    db.session.commit()
    response = login_as("anggota_a").post(f"{BASE}/{made.id}/lembaga", data={}, headers=HX)
    assert response.status_code == 422 and 'id="sv-bodies"' in response.text
    assert "Pilih kecamatan" in response.text


def test_the_last_body_cannot_be_removed(login_as, malang):
    made = helpers.activity(malang)
    db.session.commit()
    body = made.bodies[0]
    response = login_as("anggota_a").post(f"{BASE}/{made.id}/lembaga/{body.id}/hapus")
    assert response.status_code == 409 and "sedikitnya satu lembaga" in response.text
    assert _count(Body) == 1


def test_a_body_is_removed(login_as, malang):
    kecamatan = helpers.world_kecamatan(malang)
    made = helpers.activity(malang, kecamatan, pps=helpers.desa_of(kecamatan, 1))
    db.session.commit()
    ppk = made.bodies[0]
    response = login_as("anggota_a").post(f"{BASE}/{made.id}/lembaga/{ppk.id}/hapus")
    assert response.status_code == 303
    assert [b.level for b in db.session.execute(select(Body)).scalars()] == [BodyLevel.PPS]


# --- Findings -----------------------------------------------------------------------------


def test_a_finding_is_recorded_at_one_of_the_bodies(login_as, malang):
    made = helpers.activity(malang)
    db.session.commit()
    body = made.bodies[0]
    data = {"description": "Kotak suara tidak tersegel", "severity": "tinggi", "body": str(body.id)}
    response = login_as("anggota_a").post(f"{BASE}/{made.id}/temuan", data=data, headers=HX)
    assert response.status_code == 200 and 'id="sv-findings"' in response.text
    assert "Kotak suara tidak tersegel" in response.text and "Keparahan: Tinggi" in response.text
    saved = db.session.execute(select(Finding)).scalar_one()
    assert saved.body_id == body.id
    # The follow-up form, swapped out of band, now offers the new finding.
    follow_ups = response.text.split('id="sv-follow-ups"', 1)[1]
    assert 'hx-swap-oob="true"' in follow_ups.split(">", 1)[0]
    assert f'<option value="{saved.id}">Temuan 1: Kotak suara tidak tersegel</option>' in follow_ups


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"description": "", "severity": "tinggi"}, "Wajib diisi"),
        ({"description": "Temuan", "severity": "parah"}, "Pilihan tidak sah"),
        (
            {"description": "Temuan", "severity": "rendah", "body": "99999"},
            "Pilih salah satu lembaga",
        ),
        ({"description": "Temuan", "severity": "rendah", "body": "x"}, "Pilihan tidak sah"),
    ],
)
def test_a_bad_finding_is_refused(login_as, malang, data, message):
    made = helpers.activity(malang)
    db.session.commit()
    response = login_as("anggota_a").post(f"{BASE}/{made.id}/temuan", data=data, headers=HX)
    assert response.status_code == 422 and message in response.text
    assert 'id="sv-findings"' in response.text and "<html" not in response.text
    assert _count(Finding) == 0


# --- Follow-ups ---------------------------------------------------------------------------


def test_a_follow_up_is_requested_and_closed_with_evidence(login_as, malang, people, today):
    made = helpers.activity(malang, members=[people[0]])
    found = helpers.finding(made)
    db.session.commit()
    client = login_as("anggota_a")
    data = {
        "action": "Serahkan salinan C.Hasil kepada saksi", "finding": str(found.id),
        "owner": str(people[0].id), "due_on": "2024-03-12",
    }  # fmt: skip
    assert client.post(f"{BASE}/{made.id}/tindak-lanjut", data=data).status_code == 303
    item = db.session.execute(select(FollowUp)).scalar_one()
    assert (item.owner_id, item.finding_id, item.status) == (
        people[0].id,
        found.id,
        FollowUpStatus.OPEN,
    )
    closing = {
        "done_on": "2024-03-11", "done_note": "Diserahkan",
        "evidence_file": (io.BytesIO(PDF), "tanda-terima.pdf"), "version": "1",
    }  # fmt: skip
    response = login_as("operator_a").post(
        f"{BASE}/{made.id}/tindak-lanjut/{item.id}/selesai", data=closing, headers=HX
    )
    assert response.status_code == 200 and "Tindak lanjut diselesaikan." in response.text
    assert "tanda-terima.pdf" in response.text
    db.session.expire_all()
    item = db.session.get(FollowUp, item.id)
    assert item.status is FollowUpStatus.DONE and item.done_on.isoformat() == "2024-03-11"
    assert item.evidence_document.original_name == "tanda-terima.pdf"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "", "owner": "OWNER", "due_on": "2024-03-12"}, "Wajib diisi"),
        ({"action": "x", "owner": "", "due_on": "2024-03-12"}, "Wajib diisi"),
        ({"action": "x", "owner": "99999", "due_on": "2024-03-12"}, "Pilih anggota Tim"),
        ({"action": "x", "owner": "OWNER", "due_on": "besok"}, "Tanggal tidak sah"),
        ({"action": "x" * 501, "owner": "OWNER", "due_on": "2024-03-12"}, "500"),
        (
            {"action": "x", "owner": "OWNER", "due_on": "2024-03-12", "finding": "99999"},
            "Pilih temuan",
        ),
    ],
)
def test_a_bad_follow_up_is_refused(login_as, malang, people, today, data, message):
    made = helpers.activity(malang)
    db.session.commit()
    data = {k: str(people[0].id) if v == "OWNER" else v for k, v in data.items()}
    response = login_as("anggota_a").post(f"{BASE}/{made.id}/tindak-lanjut", data=data, headers=HX)
    assert response.status_code == 422, response.text
    assert message.lower() in response.text.lower()
    assert _count(FollowUp) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"done_on": "2024-03-11"}, "Unggah bukti penyelesaian"),
        ({"done_on": "2024-03-12", "file": True}, "tidak boleh setelah hari ini"),
        ({"done_on": "2024-03-01", "file": True}, "sebelum kegiatan dimulai"),
        ({"done_on": "2024-03-11", "bad_file": True}, "PDF"),
    ],
)
def test_closing_needs_a_date_and_evidence(login_as, malang, people, today, data, message):
    made = helpers.activity(malang)
    item = helpers.follow_up(made, TODAY)
    db.session.commit()
    form = {"done_on": data["done_on"], "version": "1"}
    if data.get("file"):
        form["evidence_file"] = (io.BytesIO(PDF), "bukti.pdf")
    if data.get("bad_file"):
        form["evidence_file"] = (io.BytesIO(b"MZ not a pdf"), "bukti.exe")
    response = login_as("anggota_a").post(
        f"{BASE}/{made.id}/tindak-lanjut/{item.id}/selesai", data=form, headers=HX
    )
    assert response.status_code == 422 and message in response.text
    db.session.expire_all()
    assert db.session.get(FollowUp, item.id).status is FollowUpStatus.OPEN


def test_closing_twice_is_refused(login_as, malang, today):
    made = helpers.activity(malang)
    item = helpers.follow_up(made, TODAY, status=FollowUpStatus.DONE, done_on=TODAY)
    db.session.commit()
    form = {"done_on": "2024-03-11", "version": "1", "evidence_file": (io.BytesIO(PDF), "b.pdf")}
    response = login_as("anggota_a").post(
        f"{BASE}/{made.id}/tindak-lanjut/{item.id}/selesai", data=form, headers=HX
    )
    assert response.status_code == 409 and "sudah diselesaikan orang lain" in response.text


def test_an_overdue_follow_up_is_highlighted_in_words(login_as, malang, today):
    made = helpers.activity(malang)
    helpers.follow_up(made, TODAY, action="Kirim berita acara")
    db.session.commit()
    client = login_as("pemantau_a")
    assert "Terlambat" not in client.get(f"{BASE}/{made.id}").text
    today.move(1)
    page = client.get(f"{BASE}/{made.id}").text
    row = re.search(r'<tr id="tindak-lanjut-\d+" class="sv-state-terlambat">.*?</tr>', page, re.S)
    assert row and "Terlambat" in row.group(0)


# --- Documents ----------------------------------------------------------------------------


def test_documents_are_uploaded_tagged_and_unlinked(login_as, malang):
    made = helpers.activity(malang)
    db.session.commit()
    client = login_as("anggota_a")
    data = {"kind": "berita_acara", "document_file": (io.BytesIO(PDF), "berita-acara.pdf")}
    response = client.post(f"{BASE}/{made.id}/dokumen", data=data, headers=HX)
    assert response.status_code == 200
    assert "Berita acara / notulen: " in response.text and "berita-acara.pdf" in response.text
    attached = db.session.execute(select(ActivityDocument)).scalar_one()
    removed = client.post(f"{BASE}/{made.id}/dokumen/{attached.id}/hapus")
    assert removed.status_code == 303 and _count(ActivityDocument) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "berita_acara"}, "Pilih berkas"),
        ({"kind": "", "document_file": (io.BytesIO(PDF), "a.pdf")}, "Wajib diisi"),
        ({"kind": "foto", "document_file": (io.BytesIO(b"not an image"), "foto.png")}, "PNG"),
    ],
)
def test_a_bad_document_is_refused(login_as, malang, data, message):
    made = helpers.activity(malang)
    db.session.commit()
    response = login_as("anggota_a").post(f"{BASE}/{made.id}/dokumen", data=data, headers=HX)
    assert response.status_code == 422 and message in response.text
    assert _count(ActivityDocument) == 0
