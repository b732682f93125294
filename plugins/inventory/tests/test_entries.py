"""One DIM entry: recording it at each level, every bad input, edits that never
overwrite each other, the detail page with evidence, history and neighbours,
soft delete and restore, cascading location options, categories, and who may
do what (plain and htmx)."""

import html
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from phpnet.plugin_api import (
    AuditEntry,
    Desa,
    Document,
    Kecamatan,
    OfficeUnit,
    Position,
    Regency,
    Team,
    TeamMember,
    Tps,
    db,
    dotted_code,
    utcnow,
)
from phpnet.testing import HX, REGENCY_A, REGENCY_B
from plugins.inventory.models import Category, Entry, Evidence, Level, Race, Stage, Status

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n%%EOF\n"
BASE_A = f"/r/{REGENCY_A}/inventory"
BASE_B = f"/r/{REGENCY_B}/inventory"
NEW_A = f"{BASE_A}/baru"
PLACES_A = f"/r/{REGENCY_A}/wilayah/pilihan"  # core's place picker, which the form uses
SEEDED_CATEGORY = "C.Hasil diisi keliru"

# Every request runs in a session of its own (IsolatedClient) and SQLite has one
# writer at a time: the helpers below commit before returning and hand back
# plain values, never ORM objects.


@dataclass(frozen=True)
class Place:
    """A TPS of the test world with the desa and kecamatan it lies in."""

    regency_id: int
    kecamatan_id: int
    desa_id: int
    tps_id: int
    other_tps_in_desa: int
    tps_in_other_desa: int
    other_desa_id: int
    kecamatan_without_desa: int  # a kecamatan of the same regency not holding desa_id


def regency_id_of(code: str) -> int:
    found = db.session.execute(select(Regency.id).filter_by(code=dotted_code(code))).scalar_one()
    db.session.commit()
    return found


def place_in(code: str) -> Place:
    regency_id = regency_id_of(code)
    rows = db.session.execute(
        select(Tps.id, Tps.desa_id, Tps.kecamatan_id)
        .filter_by(regency_id=regency_id)
        .order_by(Tps.desa_id, Tps.number)
    ).all()
    first, second, other_desa = rows[0], rows[1], rows[3]
    assert other_desa.desa_id != first.desa_id
    other_kecamatan = db.session.execute(
        select(Kecamatan.id)
        .where(Kecamatan.regency_id == regency_id, Kecamatan.id != first.kecamatan_id)
        .limit(1)
    ).scalar_one()
    db.session.commit()
    return Place(
        regency_id,
        first.kecamatan_id,
        first.desa_id,
        first.id,
        second.id,
        other_desa.id,
        other_desa.desa_id,
        other_kecamatan,
    )


@pytest.fixture
def place_a(app: Any) -> Place:
    return place_in(REGENCY_A)


@pytest.fixture
def place_b(app: Any) -> Place:
    return place_in(REGENCY_B)


def seeded_category_id(name: str = SEEDED_CATEGORY) -> int:
    found = db.session.execute(
        select(Category.id).where(Category.regency_id.is_(None), Category.name == name)
    ).scalar_one()
    db.session.commit()
    return found


def own_category(code: str, name: str, *, active: bool = True) -> int:
    category = Category(regency_id=regency_id_of(code), name=name, is_active=active)
    db.session.add(category)
    db.session.commit()
    return category.id


def make_team(code: str, sk_date: date, *names: str) -> list[int]:
    regency_id = regency_id_of(code)
    team = Team(
        regency_id=regency_id, sk_number=f"SK/{sk_date}", sk_date=sk_date, signed_by="Ketua"
    )
    team.members = [
        TeamMember(
            regency_id=regency_id, name=n, position=Position.ANGGOTA, unit=OfficeUnit.DIVISI_HUKUM
        )
        for n in names
    ]
    db.session.add(team)
    db.session.commit()
    return [m.id for m in team.members]


def make_entry(place: Place, **values: Any) -> int:
    fields: dict[str, Any] = {
        "regency_id": place.regency_id,
        "level": Level.TPS,
        "kecamatan_id": place.kecamatan_id,
        "desa_id": place.desa_id,
        "tps_id": place.tps_id,
        "race": Race.DPR,
        "stage": Stage.PENGHITUNGAN,
        "category_id": seeded_category_id(),
        "occurred_at": datetime(2024, 2, 14, 13, 5),
        "description": "Salinan C.Hasil berbeda dengan plano",
        "status": Status.OPEN,
        **values,
    }
    entry = Entry(**fields)
    db.session.add(entry)
    db.session.commit()
    return entry.id


def stored(entry_id: int) -> Entry:
    db.session.expire_all()
    return db.session.get(Entry, entry_id)


def entry_count() -> int:
    count = db.session.execute(select(func.count(Entry.id))).scalar_one()
    db.session.commit()
    return count


def document_count() -> int:
    count = db.session.execute(select(func.count(Document.id))).scalar_one()
    db.session.commit()
    return count


def form_data(place: Place, **overrides: Any) -> dict[str, Any]:
    data = {
        "level": "tps",
        "kecamatan": str(place.kecamatan_id),
        "desa": str(place.desa_id),
        "tps": str(place.tps_id),
        "race": "dpr",
        "dapil": "Jawa Timur V",
        "stage": "penghitungan",
        "category": str(seeded_category_id()),
        "occurred_date": "2024-02-14",
        "occurred_time": "13:05",
        "description": "Saksi menolak menandatangani C.Hasil",
        "objector": "Saksi Partai Contoh",
        "record_form": "c_kejadian_khusus",
        "record_form_number": "KK-07",
        "bawaslu_letter_number": "",
        "bawaslu_letter_date": "",
        "bawaslu_content": "",
        "follow_up": "tidak_ada",
        "follow_up_detail": "",
        "follow_up_date": "",
        "status": "belum",
        "vote_difference": "12",
        "person_in_charge": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def errors_of(page: str, field_id: str) -> str:
    """The error list shown next to one field ('' when it has none)."""
    found = re.search(rf'<ul id="{field_id}-error" class="errors">(.*?)</ul>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


def text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def visible(page: str) -> str:
    """What a sighted reader sees: no tags, no screen-reader-only text."""
    page = re.sub(r'<span class="visually-hidden">.*?</span>', "", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def new_entry_id(response: Any) -> int:
    assert response.status_code == 303, re.findall(
        r"id=\"([a-z_]+)-error\" class=\"errors\">(.*?)</ul>", response.get_data(as_text=True), re.S
    )
    found = re.search(r"/inventory/(\d+)$", response.headers["Location"])
    assert found, response.headers["Location"]
    return int(found.group(1))


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page)
    assert found, f"no hidden {name}"
    return html.unescape(found.group(1))


def edit_state(client: Any, entry_id: int) -> dict[str, str]:
    page = client.get(f"{BASE_A}/{entry_id}/ubah").get_data(as_text=True)
    return {"version": hidden(page, "version"), "loaded": hidden(page, "loaded")}


# --- Recording ---------------------------------------------------------------------


def test_the_form_offers_only_the_regencys_own_choices_with_stable_labels(
    app, login_as, place_a, place_b
):
    b_category = own_category(REGENCY_B, "Kategori khusus Surabaya")
    page = login_as("operator_a").get(NEW_A).get_data(as_text=True)
    assert "<h1" in page and "Catat entri DIM" in page
    assert ">Simpan entri</button>" in page
    for label in ("Tingkat lokasi", "Kecamatan", "Desa/Kelurahan", "TPS", "Kategori masalah"):
        assert f">{label}</label>" in page
    assert f'value="{place_a.kecamatan_id}"' in page
    assert f'value="{place_b.kecamatan_id}"' not in page
    assert f'value="{b_category}"' not in page
    assert f'hx-get="{PLACES_A}/desa"' in page
    assert f'hx-get="{PLACES_A}/tps"' in page


def test_an_operator_records_an_entry_at_a_tps_with_its_evidence(app, login_as, place_a):
    client = login_as("operator_a")
    data = form_data(place_a, evidence_type="c_kejadian_khusus")
    data["evidence_file"] = (io.BytesIO(PDF), "c-kejadian-khusus.pdf")
    response = client.post(NEW_A, data=data, content_type="multipart/form-data")
    entry_id = new_entry_id(response)
    entry = stored(entry_id)
    assert (entry.level, entry.kecamatan_id, entry.desa_id, entry.tps_id) == (
        Level.TPS,
        place_a.kecamatan_id,
        place_a.desa_id,
        place_a.tps_id,
    )
    assert entry.occurred_at == datetime(2024, 2, 14, 13, 5)
    assert entry.record_form_number == "KK-07" and entry.vote_difference == 12
    [evidence] = entry.evidence
    assert evidence.document.original_name == "c-kejadian-khusus.pdf"
    detail = client.get(f"{BASE_A}/{entry_id}")
    page = text(detail)
    assert f"Entri DIM #{entry_id} dicatat." in page
    assert "C.Kejadian Khusus" in page and "c-kejadian-khusus.pdf" in page
    assert evidence.document.sha256 in page
    assert f"/r/{REGENCY_A}/dokumen/{evidence.document_id}" in page
    assert "14 Februari 2024 13.05 WIB" in page


@pytest.mark.parametrize(
    ("level", "kept"),
    [
        ("kabkota", (None, None, None)),
        ("kecamatan", ("kecamatan", None, None)),
        ("desa", ("kecamatan", "desa", None)),
        ("tps", ("kecamatan", "desa", "tps")),
    ],
)
def test_each_level_keeps_the_parts_above_it_and_drops_those_below(
    app, login_as, place_a, level, kept
):
    client = login_as("anggota_a")
    entry_id = new_entry_id(client.post(NEW_A, data=form_data(place_a, level=level)))
    entry = stored(entry_id)
    expected = {
        "kecamatan": place_a.kecamatan_id,
        "desa": place_a.desa_id,
        "tps": place_a.tps_id,
    }
    assert entry.level is Level(level)
    assert (entry.kecamatan_id, entry.desa_id, entry.tps_id) == tuple(
        expected[part] if part else None for part in kept
    )


def test_a_level_needs_its_parts(app, login_as, place_a):
    data = form_data(place_a, level="tps", desa="", tps="")
    response = login_as("operator_a").post(NEW_A, data=data)
    assert response.status_code == 422
    page = text(response)
    assert "Wajib diisi untuk tingkat TPS (KPPS)." in errors_of(page, "desa")
    assert "Wajib diisi untuk tingkat TPS (KPPS)." in errors_of(page, "tps")
    assert errors_of(page, "kecamatan") == ""
    assert entry_count() == 0


def test_missing_fields_are_named_and_the_input_is_kept(app, login_as, place_a):
    data = form_data(
        place_a, race="", stage="", category="", occurred_date="", occurred_time="", description=""
    )
    data["dapil"] = "Dapil <tetap>"
    response = login_as("operator_a").post(NEW_A, data=data)
    assert response.status_code == 422
    page = text(response)
    for field_id in ("race", "stage", "category", "occurred_date", "occurred_time", "description"):
        assert "Wajib diisi." in errors_of(page, field_id), field_id
    assert 'value="Dapil &lt;tetap&gt;"' in response.get_data(as_text=True)
    assert f'<option selected value="{place_a.tps_id}">' in response.get_data(as_text=True)
    assert entry_count() == 0


def test_a_tps_of_another_regency_is_refused(app, login_as, place_a, place_b):
    data = form_data(place_a, tps=str(place_b.tps_id))
    response = login_as("operator_a").post(NEW_A, data=data)
    assert response.status_code == 422
    assert "TPS ini tidak ada di Kabupaten Malang." in errors_of(text(response), "tps")
    assert entry_count() == 0


def test_a_kecamatan_and_desa_of_another_regency_are_refused(app, login_as, place_a, place_b):
    data = form_data(
        place_a, kecamatan=str(place_b.kecamatan_id), desa=str(place_b.desa_id), level="desa"
    )
    page = text(login_as("operator_a").post(NEW_A, data=data))
    assert "Kecamatan ini tidak ada di Kabupaten Malang." in errors_of(page, "kecamatan")
    assert "Desa/kelurahan ini tidak ada di Kabupaten Malang." in errors_of(page, "desa")
    assert entry_count() == 0


def test_a_desa_outside_the_chosen_kecamatan_is_refused(app, login_as, place_a):
    data = form_data(place_a, kecamatan=str(place_a.kecamatan_without_desa))
    response = login_as("operator_a").post(NEW_A, data=data)
    assert response.status_code == 422
    assert "tidak berada di Kecamatan" in errors_of(text(response), "desa")
    assert entry_count() == 0


def test_a_tps_outside_the_chosen_desa_is_refused(app, login_as, place_a):
    data = form_data(place_a, tps=str(place_a.tps_in_other_desa))
    response = login_as("operator_a").post(NEW_A, data=data)
    assert response.status_code == 422
    assert "tidak berada di" in errors_of(text(response), "tps")
    assert entry_count() == 0


@pytest.mark.parametrize("bad", ["abc", "-3", "0"])
def test_location_ids_that_are_not_ids_are_refused(app, login_as, place_a, bad):
    response = login_as("operator_a").post(NEW_A, data=form_data(place_a, tps=bad))
    assert response.status_code == 422
    assert errors_of(text(response), "tps")


def test_an_event_in_the_future_is_refused(app, login_as, place_a, move_clock):
    move_clock(date(2024, 3, 1))
    tomorrow = (date(2024, 3, 1) + timedelta(days=1)).isoformat()
    response = login_as("operator_a").post(NEW_A, data=form_data(place_a, occurred_date=tomorrow))
    assert response.status_code == 422
    assert "tidak boleh setelah hari ini" in errors_of(text(response), "occurred_date")
    assert entry_count() == 0


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"record_form_number": ""}, "record_form_number", "Wajib diisi bila kejadian dicatat"),
        ({"follow_up": "lainnya"}, "follow_up_detail", "Wajib diisi bila tindak lanjut"),
        (
            {"follow_up_date": "2024-02-13"},
            "follow_up_date",
            "tidak boleh sebelum tanggal kejadian",
        ),
        ({"vote_difference": "-5"}, "vote_difference", "bilangan bulat 0 atau lebih"),
        ({"vote_difference": "dua"}, "vote_difference", "Harus berupa bilangan bulat."),
        ({"race": "pilkades"}, "race", "Pilihan tidak sah."),
        ({"occurred_time": "25:00"}, "occurred_time", "Waktu tidak sah"),
        ({"description": "x" * 10_001}, "description", "Maksimal 10000 karakter."),
        ({"dapil": "d" * 101}, "dapil", "Maksimal 100 karakter."),
    ],
)
def test_each_bad_input_gets_its_message_next_to_the_field(
    app, login_as, place_a, overrides, field_id, message
):
    response = login_as("operator_a").post(NEW_A, data=form_data(place_a, **overrides))
    assert response.status_code == 422
    assert message in errors_of(text(response), field_id)
    assert entry_count() == 0


def test_unknown_inactive_and_foreign_categories_are_refused(app, login_as, place_a):
    inactive = own_category(REGENCY_A, "Kategori lama", active=False)
    foreign = own_category(REGENCY_B, "Kategori Surabaya")
    client = login_as("operator_a")
    for category in ("999999", str(inactive), str(foreign)):
        response = client.post(NEW_A, data=form_data(place_a, category=category))
        assert response.status_code == 422
        assert "Kategori tidak dikenal atau tidak aktif" in errors_of(text(response), "category")
    assert entry_count() == 0


def test_the_person_in_charge_must_be_in_the_regencys_current_team(app, login_as, place_a):
    [old_member] = make_team(REGENCY_A, date(2024, 1, 2), "Anggota SK Lama")
    [current_member] = make_team(REGENCY_A, date(2024, 3, 1), "Dra. Siti Aminah")
    [member_b] = make_team(REGENCY_B, date(2024, 3, 1), "Anggota Surabaya")
    client = login_as("operator_a")
    for refused in (member_b, old_member, 999999):
        response = client.post(NEW_A, data=form_data(place_a, person_in_charge=str(refused)))
        assert response.status_code == 422
        assert "Tim Penyelesaian PHP yang berlaku" in errors_of(text(response), "person_in_charge")
    assert "Anggota Surabaya" not in client.get(NEW_A).get_data(as_text=True)
    entry_id = new_entry_id(
        client.post(NEW_A, data=form_data(place_a, person_in_charge=str(current_member)))
    )
    assert stored(entry_id).person_in_charge_id == current_member


def upload(data: dict[str, Any], content: bytes, name: str, kind: str = "foto") -> dict:
    return {**data, "evidence_file": (io.BytesIO(content), name), "evidence_type": kind}


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<html>not a pdf</html>", "palsu.pdf", "Isi berkas bukan PDF yang sah."),
        (PDF + b"x" * 2048, "besar.pdf", "Berkas terlalu besar"),
        (b"MZ\x90\x00", "program.exe", "Jenis berkas tidak diizinkan."),
    ],
)
def test_a_fake_or_oversize_file_saves_nothing(app, login_as, place_a, content, name, message):
    app.config["DOCUMENT_MAX_BYTES"] = 1024
    data = upload(form_data(place_a), content, name)
    response = login_as("operator_a").post(NEW_A, data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in errors_of(text(response), "evidence_file")
    assert 'value="Saksi menolak menandatangani C.Hasil"' not in response.get_data(as_text=True)
    assert "Saksi menolak menandatangani C.Hasil" in text(response)  # kept in the textarea
    assert (entry_count(), document_count()) == (0, 0)


def test_an_evidence_file_needs_its_type(app, login_as, place_a):
    data = upload(form_data(place_a), PDF, "bukti.pdf", kind="")
    response = login_as("operator_a").post(NEW_A, data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Pilih jenis bukti" in errors_of(text(response), "evidence_type")
    assert "Pilih berkas lagi" in errors_of(text(response), "evidence_file")
    assert (entry_count(), document_count()) == (0, 0)


def test_without_javascript_the_refresh_button_loads_the_desa_and_tps_choices(
    app, login_as, place_a
):
    data = {"kecamatan": str(place_a.kecamatan_id), "muat_pilihan": "1", "description": "draf"}
    response = login_as("operator_a").post(NEW_A, data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<option value="{place_a.desa_id}">' in page
    assert "Wajib diisi" not in page
    assert entry_count() == 0


# --- Cascading options -------------------------------------------------------------


def test_desa_options_list_only_the_kecamatans_own_desa(app, login_as, place_a, place_b):
    client = login_as("pemantau_a")
    response = client.get(f"{PLACES_A}/desa?kecamatan={place_a.kecamatan_id}", headers=HX)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    desa_ids = set(map(int, re.findall(r'<option value="(\d+)">', page.split("<select")[0])))
    expected = set(
        db.session.execute(select(Desa.id).filter_by(kecamatan_id=place_a.kecamatan_id)).scalars()
    )
    assert desa_ids == expected and place_a.desa_id in desa_ids
    assert "<html" not in page
    assert 'id="tps" hx-swap-oob="innerHTML"' in page  # the TPS select is emptied too
    foreign = client.get(f"{PLACES_A}/desa?kecamatan={place_b.kecamatan_id}", headers=HX)
    assert re.findall(r'<option value="\d+">', foreign.get_data(as_text=True)) == []
    for junk in ("", "abc", "-1"):
        reply = client.get(f"{PLACES_A}/desa?kecamatan={junk}", headers=HX)
        assert reply.status_code == 200 and 'value="">' in reply.get_data(as_text=True)


def test_tps_options_list_only_the_desas_own_tps(app, login_as, place_a, place_b):
    client = login_as("anggota_a")
    page = client.get(f"{PLACES_A}/tps?desa={place_a.desa_id}").get_data(as_text=True)
    assert re.findall(r">(TPS \d{3})<", page) == ["TPS 001", "TPS 002", "TPS 003"]
    assert f'value="{place_a.tps_id}"' in page
    foreign = client.get(f"{PLACES_A}/tps?desa={place_b.desa_id}").get_data(as_text=True)
    assert "TPS 0" not in foreign


@pytest.mark.parametrize("headers", [{}, HX])
def test_another_regencys_operator_gets_404_for_options_and_entries(
    app, login_as, place_a, headers
):
    entry_id = make_entry(place_a)
    client = login_as("operator_b")
    for path in (
        f"{PLACES_A}/desa?kecamatan={place_a.kecamatan_id}",
        f"{PLACES_A}/tps?desa={place_a.desa_id}",
        f"{BASE_A}/{entry_id}",
        f"{BASE_A}/{entry_id}/ubah",
        f"{BASE_A}/baru",
        f"{BASE_A}/kategori",
        f"{BASE_A}/terhapus",
    ):
        assert client.get(path, headers=headers).status_code == 404, path
    for path in (f"{BASE_A}/{entry_id}/hapus", f"{BASE_A}/{entry_id}/ubah", NEW_A):
        assert client.post(path, data=form_data(place_a), headers=headers).status_code == 404
    # And A's entry id inside B's own pages is just as unknown.
    assert client.get(f"{BASE_B}/{entry_id}", headers=headers).status_code == 404
    assert client.post(f"{BASE_B}/{entry_id}/hapus", headers=headers).status_code == 404
    assert stored(entry_id).deleted_at is None


# --- Editing and conflicts -------------------------------------------------------------


def test_an_edit_is_saved_with_its_audit_row_and_shown_in_the_history(app, login_as, place_a):
    entry_id = make_entry(place_a)
    client = login_as("anggota_a")
    data = form_data(place_a, status="selesai", description="<script>alert(1)</script>")
    response = client.post(
        f"{BASE_A}/{entry_id}/ubah", data={**data, **edit_state(client, entry_id)}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{BASE_A}/{entry_id}")
    entry = stored(entry_id)
    assert (entry.status, entry.version) == (Status.RESOLVED, 2)
    audit = (
        db.session.execute(
            select(AuditEntry)
            .filter_by(object_type="inventory_entry", object_id=str(entry_id), action="update")
            .order_by(AuditEntry.id.desc())
        )
        .scalars()
        .first()
    )
    assert audit.actor == "anggota_a"
    assert audit.before["status"] == "belum" and audit.after["status"] == "selesai"
    assert (audit.before["version"], audit.after["version"]) == (1, 2)
    page = client.get(f"{BASE_A}/{entry_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    history = visible(page.split('id="history"')[1].split('id="related"')[0])
    assert "anggota_a" in history and "Entri diubah" in history
    assert "Status: Belum ditindaklanjuti → Selesai" in history


def test_saving_an_unchanged_form_changes_nothing(app, login_as, place_a):
    client = login_as("operator_a")
    entry_id = new_entry_id(client.post(NEW_A, data=form_data(place_a)))
    response = client.post(
        f"{BASE_A}/{entry_id}/ubah", data={**form_data(place_a), **edit_state(client, entry_id)}
    )
    assert response.status_code == 303
    assert stored(entry_id).version == 1


def test_a_stale_edit_gets_409_shows_what_changed_and_overwrites_nothing(app, login_as, place_a):
    entry_id = make_entry(place_a)
    first, second = login_as("operator_a"), login_as("anggota_a")
    first_state, second_state = edit_state(first, entry_id), edit_state(second, entry_id)
    first_save = form_data(
        place_a,
        description="Salinan C.Hasil berbeda dengan plano",
        status="selesai",
        vote_difference="40",
    )
    assert (
        first.post(f"{BASE_A}/{entry_id}/ubah", data={**first_save, **first_state}).status_code
        == 303
    )

    mine = form_data(place_a, description="Versi saya yang panjang", vote_difference="7")
    response = second.post(f"{BASE_A}/{entry_id}/ubah", data={**mine, **second_state})
    assert response.status_code == 409
    page = visible(response.get_data(as_text=True))
    assert "Entri ini sudah diubah oleh Operator A pada" in page
    assert "Status: Belum ditindaklanjuti → Selesai" in page
    assert "Selisih suara: - → 40" in page
    assert "Versi saya yang panjang" in page  # the user's input is kept
    entry = stored(entry_id)
    assert (entry.status, entry.vote_difference, entry.version) == (Status.RESOLVED, 40, 2)
    assert entry.description == "Salinan C.Hasil berbeda dengan plano"

    # Saving again from the conflict page is a deliberate choice, and works.
    retry = {"version": hidden(response.get_data(as_text=True), "version")}
    retry["loaded"] = hidden(response.get_data(as_text=True), "loaded")
    assert retry["version"] == "2"
    assert second.post(f"{BASE_A}/{entry_id}/ubah", data={**mine, **retry}).status_code == 303
    assert stored(entry_id).description == "Versi saya yang panjang"


def test_a_change_that_did_not_bump_the_version_is_still_a_conflict(app, login_as, place_a):
    entry_id = make_entry(place_a)
    client = login_as("operator_a")
    state = edit_state(client, entry_id)
    entry = stored(entry_id)
    entry.notes = "Diubah tanpa versi"
    db.session.commit()
    response = client.post(f"{BASE_A}/{entry_id}/ubah", data={**form_data(place_a), **state})
    assert response.status_code == 409
    assert "Catatan: - → Diubah tanpa versi" in visible(response.get_data(as_text=True))
    assert stored(entry_id).notes == "Diubah tanpa versi"


def test_an_edit_keeps_an_inactive_category_the_entry_already_has(app, login_as, place_a):
    retired = own_category(REGENCY_A, "Kategori yang dipensiunkan", active=False)
    entry_id = make_entry(place_a, category_id=retired)
    client = login_as("operator_a")
    page = client.get(f"{BASE_A}/{entry_id}/ubah").get_data(as_text=True)
    assert "Kategori yang dipensiunkan (nonaktif)" in page
    assert "Kategori yang dipensiunkan" not in client.get(NEW_A).get_data(as_text=True)
    data = {
        **form_data(place_a, category=str(retired), status="selesai"),
        **edit_state(client, entry_id),
    }
    assert client.post(f"{BASE_A}/{entry_id}/ubah", data=data).status_code == 303
    assert stored(entry_id).category_id == retired


# --- Detail page: evidence, history, neighbours ------------------------------------------


def test_evidence_is_added_and_unlinked_while_its_document_stays(app, login_as, place_a):
    entry_id = make_entry(place_a)
    client = login_as("anggota_a")
    response = client.post(
        f"{BASE_A}/{entry_id}/bukti",
        data={
            "evidence_file": (io.BytesIO(PDF), "berita-acara.pdf"),
            "evidence_type": "berita_acara",
        },
        content_type="multipart/form-data",
        headers=HX,
    )
    assert response.status_code == 200
    fragment = text(response)
    assert fragment.lstrip().startswith('<section class="card" id="evidence"')
    assert "Bukti Berita Acara “berita-acara.pdf” ditambahkan." in fragment
    [evidence] = stored(entry_id).evidence
    evidence_id, document_id = evidence.id, evidence.document_id
    db.session.commit()

    removed = client.post(f"{BASE_A}/{entry_id}/bukti/{evidence_id}/hapus")
    assert removed.status_code == 303
    assert stored(entry_id).evidence == []
    assert db.session.get(Document, document_id) is not None
    history = text(client.get(f"{BASE_A}/{entry_id}")).split('id="history"')[1]
    assert "Bukti ditambahkan: Berita Acara: berita-acara.pdf" in history
    assert "Bukti dilepas: Berita Acara: berita-acara.pdf" in history


@pytest.mark.parametrize(
    ("content", "name", "kind", "field_id", "message"),
    [
        (b"GIF89a", "foto.pdf", "foto", "evidence_file", "Isi berkas bukan PDF yang sah."),
        (PDF * 100, "besar.pdf", "foto", "evidence_file", "Berkas terlalu besar"),
        (None, None, "foto", "evidence_file", "Pilih berkas bukti."),
        (PDF, "a.pdf", "", "evidence_type", "Wajib diisi."),
    ],
)
@pytest.mark.parametrize("headers", [{}, HX])
def test_bad_evidence_uploads_save_nothing(
    app, login_as, place_a, content, name, kind, field_id, message, headers
):
    app.config["DOCUMENT_MAX_BYTES"] = 1024
    entry_id = make_entry(place_a)
    data: dict[str, Any] = {"evidence_type": kind}
    if content is not None:
        data["evidence_file"] = (io.BytesIO(content), name)
    response = login_as("operator_a").post(
        f"{BASE_A}/{entry_id}/bukti",
        data=data,
        content_type="multipart/form-data",
        headers=headers,
    )
    assert response.status_code == 422
    assert message in errors_of(text(response), field_id)
    assert document_count() == 0
    assert stored(entry_id).evidence == []


def test_the_detail_page_links_other_entries_at_the_same_tps_and_desa(app, login_as, place_a):
    entry_id = make_entry(place_a)
    same_tps = make_entry(place_a, description="Di TPS yang sama")
    same_desa = make_entry(place_a, tps_id=place_a.other_tps_in_desa, description="TPS lain")
    desa_level = make_entry(place_a, level=Level.DESA, tps_id=None, description="Tingkat desa")
    elsewhere = make_entry(place_a, desa_id=place_a.other_desa_id, tps_id=place_a.tps_in_other_desa)
    deleted = make_entry(place_a, deleted_at=utcnow())
    page = login_as("pemantau_a").get(f"{BASE_A}/{entry_id}").get_data(as_text=True)
    related = page.split('id="related"')[1]
    at_tps, at_desa = related.split("<h3>")[1], related.split("<h3>")[2]
    assert f'/inventory/{same_tps}"' in at_tps
    assert f'/inventory/{same_desa}"' not in at_tps
    assert f'/inventory/{same_desa}"' in at_desa and f'/inventory/{desa_level}"' in at_desa
    assert f'/inventory/{same_tps}"' not in at_desa
    for hidden_id in (elsewhere, deleted, entry_id):
        assert f'/inventory/{hidden_id}"' not in related


# --- Soft delete and restore ------------------------------------------------------------------


def test_soft_delete_hides_the_entry_and_restore_brings_it_back(app, login_as, place_a):
    entry_id = make_entry(place_a)
    operator, anggota = login_as("operator_a"), login_as("anggota_a")
    response = operator.post(f"{BASE_A}/{entry_id}/hapus")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{BASE_A}/")
    entry = stored(entry_id)
    assert entry.deleted_at is not None and entry.deleted_by_id is not None
    assert anggota.get(f"{BASE_A}/{entry_id}").status_code == 404
    assert anggota.get(f"{BASE_A}/{entry_id}/ubah").status_code == 404
    assert operator.get(f"{BASE_A}/{entry_id}/ubah").status_code == 404
    assert "Entri ini dihapus oleh Operator A" in text(operator.get(f"{BASE_A}/{entry_id}"))
    listing = operator.get(f"{BASE_A}/terhapus").get_data(as_text=True)
    assert f"{BASE_A}/{entry_id}/pulihkan" in listing and ">Pulihkan" in listing

    again = operator.post(f"{BASE_A}/{entry_id}/hapus")
    assert again.status_code == 409
    assert "sudah dihapus sebelumnya" in text(again)
    version = stored(entry_id).version

    restored = operator.post(f"{BASE_A}/{entry_id}/pulihkan", headers=HX)
    assert restored.status_code == 200
    assert f"Entri DIM #{entry_id} dipulihkan." in text(restored)
    assert stored(entry_id).deleted_at is None and stored(entry_id).version == version + 1
    assert anggota.get(f"{BASE_A}/{entry_id}").status_code == 200
    refused = operator.post(f"{BASE_A}/{entry_id}/pulihkan")
    assert refused.status_code == 409
    assert "tidak sedang terhapus" in text(refused)
    assert stored(entry_id).version == version + 1
    actions = [
        row.after
        for row in db.session.execute(
            select(AuditEntry)
            .filter_by(object_type="inventory_entry", object_id=str(entry_id), action="update")
            .order_by(AuditEntry.id)
        ).scalars()
    ]
    assert [bool(a.get("deleted_at")) for a in actions if "deleted_at" in a] == [True, False]


def test_the_deleted_entries_page_lists_only_this_regencys_deleted_entries(
    app, login_as, place_a, place_b
):
    mine = make_entry(place_a, deleted_at=utcnow(), description="Terhapus di Malang")
    live = make_entry(place_a, description="Masih hidup")
    theirs = make_entry(
        place_b,
        category_id=seeded_category_id(),
        deleted_at=utcnow(),
        description="Terhapus di Surabaya",
    )
    page = login_as("operator_a").get(f"{BASE_A}/terhapus").get_data(as_text=True)
    assert "Terhapus di Malang" in page
    assert "Masih hidup" not in page and "Terhapus di Surabaya" not in page
    assert f"/{live}/pulihkan" not in page and f"/{theirs}/pulihkan" not in page
    assert mine


# --- Categories ----------------------------------------------------------------------


def test_an_operator_adds_and_deactivates_a_category_of_the_regency(app, login_as, place_a):
    client = login_as("operator_a")
    page = client.get(f"{BASE_A}/kategori").get_data(as_text=True)
    assert SEEDED_CATEGORY in page
    response = client.post(
        f"{BASE_A}/kategori", data={"name": "  Logistik terlambat tiba  ", "stage": "pemungutan"}
    )
    assert response.status_code == 303
    category = db.session.execute(
        select(Category).filter_by(name="Logistik terlambat tiba")
    ).scalar_one()
    category_id, regency_id = category.id, category.regency_id
    db.session.commit()
    assert regency_id == place_a.regency_id
    assert "Logistik terlambat tiba" in client.get(NEW_A).get_data(as_text=True)

    off = client.post(f"{BASE_A}/kategori/{category_id}/aktif", data={"aktif": "0"}, headers=HX)
    assert off.status_code == 200
    assert "dinonaktifkan" in text(off) and 'id="own-categories"' in off.get_data(as_text=True)
    assert "Logistik terlambat tiba" not in client.get(NEW_A).get_data(as_text=True)
    refused = client.post(NEW_A, data=form_data(place_a, category=str(category_id)))
    assert refused.status_code == 422
    on = client.post(f"{BASE_A}/kategori/{category_id}/aktif", data={"aktif": "1"})
    assert on.status_code == 303
    assert "Logistik terlambat tiba" in client.get(NEW_A).get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Wajib diisi."),
        ("c.HASIL DIISI KELIRU", "sudah ada"),
        ("x" * 201, "Maksimal 200 karakter."),
    ],
)
def test_a_bad_category_name_is_refused(app, login_as, name, message):
    response = login_as("operator_a").post(f"{BASE_A}/kategori", data={"name": name, "stage": ""})
    assert response.status_code == 422
    assert message in errors_of(text(response), "name")


def test_a_name_already_used_by_an_inactive_own_category_is_refused(app, login_as):
    own_category(REGENCY_A, "Kotak suara rusak", active=False)
    response = login_as("operator_a").post(f"{BASE_A}/kategori", data={"name": "kotak SUARA rusak"})
    assert response.status_code == 422
    assert "aktifkan kembali" in errors_of(text(response), "name")


def test_seeded_and_foreign_categories_cannot_be_switched_by_a_regency(app, login_as):
    foreign = own_category(REGENCY_B, "Kategori Surabaya")
    client = login_as("operator_a")
    for category_id in (seeded_category_id(), foreign):
        reply = client.post(f"{BASE_A}/kategori/{category_id}/aktif", data={"aktif": "0"})
        assert reply.status_code == 404
    assert all(
        db.session.execute(
            select(Category.is_active).where(Category.regency_id.is_(None))
        ).scalars()
    )
    own = own_category(REGENCY_A, "Milik Malang")
    assert client.post(f"{BASE_A}/kategori/{own}/aktif", data={"aktif": "x"}).status_code == 400


# --- Who may do what ----------------------------------------------------------------------


def routes(entry_id: int, evidence_id: int, category_id: int) -> dict[str, list[tuple[str, str]]]:
    """Every route of this module by the permission it needs."""
    return {
        "view": [
            ("GET", f"{BASE_A}/{entry_id}"),
            ("GET", f"{PLACES_A}/desa?kecamatan=1"),
            ("GET", f"{PLACES_A}/tps?desa=1"),
            ("GET", f"{BASE_A}/kategori"),
        ],
        "edit": [
            ("GET", NEW_A),
            ("POST", NEW_A),
            ("GET", f"{BASE_A}/{entry_id}/ubah"),
            ("POST", f"{BASE_A}/{entry_id}/ubah"),
            ("POST", f"{BASE_A}/{entry_id}/bukti"),
            ("POST", f"{BASE_A}/{entry_id}/bukti/{evidence_id}/hapus"),
        ],
        "manage": [
            ("POST", f"{BASE_A}/{entry_id}/hapus"),
            ("POST", f"{BASE_A}/{entry_id}/pulihkan"),
            ("GET", f"{BASE_A}/terhapus"),
            ("POST", f"{BASE_A}/kategori"),
            ("POST", f"{BASE_A}/kategori/{category_id}/aktif"),
        ],
    }


@pytest.fixture
def world(app: Any, place_a: Place) -> dict[str, list[tuple[str, str]]]:
    entry_id = make_entry(place_a)
    document = Document(
        regency_id=place_a.regency_id,
        original_name="bukti.pdf",
        media_type="application/pdf",
        size_bytes=len(PDF),
        sha256="0" * 64,
        storage_name="f" * 32,
    )
    evidence = Evidence(
        entry_id=entry_id, regency_id=place_a.regency_id, document=document, evidence_type="foto"
    )
    db.session.add(evidence)
    db.session.commit()
    return routes(entry_id, evidence.id, own_category(REGENCY_A, "Milik Malang"))


def state_of_a() -> tuple[Any, ...]:
    """What a refused request must leave untouched."""
    db.session.expire_all()
    values = (
        tuple(db.session.execute(select(Entry.id, Entry.version, Entry.deleted_at)).all()),
        db.session.execute(select(func.count(Evidence.id))).scalar_one(),
        tuple(db.session.execute(select(Category.id, Category.is_active)).all()),
    )
    db.session.commit()
    return values


ALLOWED = {
    "pemantau_a": {"view"},
    "provinsi": {"view"},
    "anggota_a": {"view", "edit"},
    "operator_a": {"view", "edit", "manage"},
    "admin": {"view", "edit", "manage"},
}


@pytest.mark.parametrize("username", ["pemantau_a", "provinsi", "anggota_a"])
@pytest.mark.parametrize("headers", [{}, HX])
def test_roles_without_the_permission_get_403_and_change_nothing(
    app, login_as, world, username, headers
):
    client = login_as(username)
    before = state_of_a()
    for permission, listed in world.items():
        for method, path in listed:
            response = client.open(path, method=method, data={"aktif": "0"}, headers=headers)
            if permission in ALLOWED[username]:
                assert response.status_code < 400 or response.status_code == 422, (path, method)
            else:
                assert response.status_code == 403, (username, method, path)
    if username != "anggota_a":
        assert state_of_a() == before


@pytest.mark.parametrize("username", ["operator_a", "admin"])
def test_managers_may_open_every_page(app, login_as, world, username):
    client = login_as(username)
    for listed in world.values():
        for method, path in listed:
            if method == "GET":
                assert client.get(path).status_code == 200, path


def test_an_anggota_records_and_edits_but_cannot_delete(app, login_as, place_a):
    client = login_as("anggota_a")
    entry_id = new_entry_id(client.post(NEW_A, data=form_data(place_a)))
    edit = {**form_data(place_a, status="berpotensi_sengketa"), **edit_state(client, entry_id)}
    assert client.post(f"{BASE_A}/{entry_id}/ubah", data=edit).status_code == 303
    assert client.post(f"{BASE_A}/{entry_id}/hapus").status_code == 403
    assert client.post(f"{BASE_A}/{entry_id}/hapus", headers=HX).status_code == 403
    entry = stored(entry_id)
    assert entry.status is Status.DISPUTE_LIKELY and entry.deleted_at is None
    page = client.get(f"{BASE_A}/{entry_id}").get_data(as_text=True)
    assert "Ubah entri" in page and "Hapus entri" not in page


def test_readers_see_the_detail_page_without_edit_controls(app, login_as, place_a):
    entry_id = make_entry(place_a)
    for username in ("pemantau_a", "provinsi"):
        page = login_as(username).get(f"{BASE_A}/{entry_id}").get_data(as_text=True)
        assert "Salinan C.Hasil berbeda dengan plano" in page
        for control in ("Ubah entri", "Hapus entri", "Unggah bukti"):
            assert control not in page, (username, control)


def test_creating_an_entry_writes_its_audit_row(app, login_as, place_a):
    entry_id = new_entry_id(login_as("operator_a").post(NEW_A, data=form_data(place_a)))
    audit = db.session.execute(
        select(AuditEntry).filter_by(
            object_type="inventory_entry", object_id=str(entry_id), action="create"
        )
    ).scalar_one()
    assert audit.actor == "operator_a" and audit.regency_id == place_a.regency_id
    assert audit.after["description"] == "Saksi menolak menandatangani C.Hasil"


def test_ids_beyond_what_the_database_holds_are_unknown_not_errors(app, login_as, place_a):
    client = login_as("operator_a")
    huge = "9" * 25
    for path in (f"{BASE_A}/{huge}", f"{BASE_A}/{huge}/ubah", f"{BASE_A}/2147483648"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"{BASE_A}/kategori/{huge}/aktif", data={"aktif": "1"}).status_code == 404
    for argument in (huge, "²", "１２"):
        reply = client.get(f"{PLACES_A}/tps?desa={argument}")
        assert reply.status_code == 200 and "TPS 0" not in reply.get_data(as_text=True)
    response = client.post(NEW_A, data=form_data(place_a, tps=huge, category=huge))
    assert response.status_code == 422
    assert errors_of(text(response), "tps") and errors_of(text(response), "category")
