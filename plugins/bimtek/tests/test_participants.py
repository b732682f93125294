"""The invitation list: adding by hand, pasting from a spreadsheet, importing
XLSX (every row checked first, errors by row and column, nothing saved when
any row is wrong), the template and the export; attendance (a row at a time
under htmx, mark all, search as you type) and pre/post-test scores."""

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from phpnet.plugin_api import db
from phpnet.testing import HX, REGENCY_A, REGENCY_B
from plugins.bimtek.models import Level, Participant, Position
from plugins.bimtek.tests.helpers import add_people, count, make_session, world_of, xlsx

BASE = f"/r/{REGENCY_A}/bimtek"


@pytest.fixture
def malang(app: Any) -> Any:
    return world_of(REGENCY_A)


@pytest.fixture
def ppk_session(malang: Any) -> int:
    """A session for the PPK of the world's kecamatan and the KPPS of its first desa."""
    return make_session(
        malang.regency_id,
        targets=[
            (Level.PPK, malang.kecamatan_id, None, None),
            (Level.KPPS, malang.kecamatan_id, malang.desa_id, None),
        ],
    )


def people() -> list[Participant]:
    db.session.expire_all()
    found = db.session.execute(select(Participant).order_by(Participant.id)).scalars().all()
    db.session.commit()
    return list(found)


# --- by hand ----------------------------------------------------------------------------------


def test_a_participant_is_added_by_hand_and_htmx_gets_the_list_back(login_as, malang, ppk_session):
    response = login_as("anggota_a").post(
        f"{BASE}/{ppk_session}/peserta/tambah",
        data={
            "name": "Budi Santoso",
            "level": "kpps",
            "kecamatan": malang.kecamatan_id,
            "desa": malang.desa_id,
            "tps": malang.tps_ids[1],
            "position": "ketua",
            "phone": "0812-3456-7890",
        },
        headers=HX,
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert 'id="participants"' in fragment and "<html" not in fragment
    assert "Budi Santoso" in fragment and f"KPPS TPS 002 {malang.desa_name}" in fragment
    (person,) = people()
    assert (person.level, person.tps_id, person.position, person.phone) == (
        Level.KPPS, malang.tps_ids[1], Position.KETUA, "0812-3456-7890",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "level": "ppk"}, "name", "Wajib diisi."),
        ({"name": "A", "level": "pps"}, "desa", "Pilih desa/kelurahan"),
        ({"name": "A", "level": "kpps", "desa": "DESA"}, "tps", "Pilih TPS"),
        ({"name": "A", "level": "pps", "desa": "DESA"}, "level", "bukan sasaran bimtek ini"),
        ({"name": "A", "level": "ppk", "phone": "1" * 21}, "phone", "Maksimal 20 karakter."),
        ({"name": "A", "level": "ppk", "position": "bupati"}, "position", "Pilihan tidak sah."),
    ],
)
def test_bad_participants_are_refused_next_to_the_field(
    login_as, malang, ppk_session, data, field, message
):
    data = {"kecamatan": malang.kecamatan_id, "position": "anggota", **data}
    if data.get("desa") == "DESA":
        data["desa"] = malang.desa_id
    response = login_as("operator_a").post(f"{BASE}/{ppk_session}/peserta/tambah", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert people() == []


def test_the_same_person_of_the_same_body_is_not_added_twice(login_as, malang, ppk_session):
    client = login_as("operator_a")
    data = {"name": "Sri Wahyuni", "level": "ppk", "kecamatan": malang.kecamatan_id}
    assert client.post(f"{BASE}/{ppk_session}/peserta/tambah", data=data).status_code == 303
    again = client.post(
        f"{BASE}/{ppk_session}/peserta/tambah", data={**data, "name": "sri wahyuni"}
    )
    assert again.status_code == 422 and "sudah terdaftar" in again.get_data(as_text=True)
    assert len(people()) == 1


# --- pasted ---------------------------------------------------------------------------------------


def test_pasted_rows_are_added_header_and_all(login_as, malang, ppk_session):
    text = (
        "Nama\tTingkat\tKecamatan\tDesa/Kelurahan\tTPS\tJabatan\tTelepon\n"
        f"Ahmad Fauzi\tPPK\t{malang.kecamatan_name}\t\t\tKetua\t081234567890\n"
        f"Dewi Lestari\tppk\tKec. {malang.kecamatan_name.upper()}\t\t\tSekretaris\n"
        f"Joko Susilo\tKPPS\t{malang.kecamatan_name}\t{malang.desa_name}\t3\tAnggota\t\n"
    )
    response = login_as("operator_a").post(
        f"{BASE}/{ppk_session}/peserta/tempel", data={"rows": text}
    )
    assert response.status_code == 303
    added = people()
    assert [(p.name, p.level, p.position) for p in added] == [
        ("Ahmad Fauzi", Level.PPK, Position.KETUA),
        ("Dewi Lestari", Level.PPK, Position.SEKRETARIS),
        ("Joko Susilo", Level.KPPS, Position.ANGGOTA),
    ]
    assert added[2].tps_id == malang.tps_ids[2]


def test_every_bad_pasted_line_is_reported_and_nothing_is_saved(login_as, malang, ppk_session):
    text = (
        f"Ahmad Fauzi\tPPK\t{malang.kecamatan_name}\n"
        "Tanpa Tingkat\t\tKepanjeng\n"
        f"\tPPK\t{malang.kecamatan_name}\n"
        f"Joko\tKPPS\t{malang.kecamatan_name}\t{malang.desa_name}\t99\n"
        f"Rina\tPPK\t{malang.kecamatan_name}\t\t\tBupati\tabc\n"
    )
    response = login_as("operator_a").post(
        f"{BASE}/{ppk_session}/peserta/tempel", data={"rows": text}, headers=HX
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for expected in (
        "Tingkat wajib diisi; isi PPK, PPS atau KPPS.",
        "Kecamatan “Kepanjeng” tidak ada di Kabupaten Malang.",
        "Nama wajib diisi.",
        f"TPS 099 tidak ada di {malang.desa_name}.",
        "Jabatan “Bupati” tidak dikenal",
        "Nomor telepon “abc” tidak sah",
    ):
        assert expected in page
    assert "5 baris diperiksa, 4 baris bermasalah" in page
    assert people() == []


# --- XLSX import ------------------------------------------------------------------------------


def test_an_xlsx_import_with_two_bad_rows_is_refused_then_imported_when_fixed(
    login_as, malang, ppk_session
):
    rows = [[f"Anggota PPK {i}", "PPK", malang.kecamatan_name, None, None, "Anggota", None]
            for i in range(1, 41)]  # fmt: skip
    rows[6][1] = "PPSK"
    rows[19][2] = "Kecamatan Antah"
    client = login_as("operator_a")
    url = f"{BASE}/{ppk_session}/peserta/impor"
    refused = client.post(url, data={"file": (io.BytesIO(xlsx(rows)), "peserta.xlsx")}, headers=HX)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "40 baris diperiksa, 2 baris bermasalah" in page
    assert '<td class="num">8</td><td>Tingkat</td><td>Tingkat “PPSK” tidak dikenal' in page
    assert (
        '<td class="num">21</td><td>Kecamatan</td><td>Kecamatan “Kecamatan Antah” tidak ada' in page
    )
    assert people() == []
    rows[6][1], rows[19][2] = "PPK", malang.kecamatan_name
    imported = client.post(url, data={"file": (io.BytesIO(xlsx(rows)), "peserta.xlsx")})
    assert imported.status_code == 303
    assert len(people()) == 40


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"PK\x03\x04 bukan zip", "Berkas bukan XLSX yang sah."),
        (b"Nama,Tingkat\n", "Berkas bukan XLSX yang sah."),
        (b"x" * (2 * 1024 * 1024 + 10), "Berkas terlalu besar"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(login_as, ppk_session, payload, message):
    response = login_as("operator_a").post(
        f"{BASE}/{ppk_session}/peserta/impor", data={"file": (io.BytesIO(payload), "a.xlsx")}
    )
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_a_sheet_without_the_columns_or_rows_is_refused(login_as, malang, ppk_session):
    url = f"{BASE}/{ppk_session}/peserta/impor"
    client = login_as("operator_a")
    no_header = xlsx([["Budi", "PPK"]], header=["Siapa", "Apa"])
    response = client.post(url, data={"file": (io.BytesIO(no_header), "a.xlsx")})
    assert "Baris judul kolom tidak ditemukan" in response.get_data(as_text=True)
    empty = client.post(url, data={"file": (io.BytesIO(xlsx([])), "a.xlsx")})
    assert "Tidak ada baris peserta." in empty.get_data(as_text=True)
    missing = client.post(url, data={})
    assert missing.status_code == 422 and "Pilih berkas XLSX." in missing.get_data(as_text=True)
    assert people() == []


def test_the_template_reimports_and_the_export_round_trips(login_as, malang, ppk_session):
    client = login_as("operator_a")
    template = client.get(f"{BASE}/templat-peserta.xlsx")
    assert template.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(template.data))
    assert book.sheetnames == ["Peserta", "Petunjuk", "Wilayah"]
    header = [c.value for c in next(book["Peserta"].iter_rows(max_row=1))]
    assert header == ["Nama", "Tingkat", "Kecamatan", "Desa/Kelurahan", "TPS", "Jabatan", "Telepon"]
    wilayah = {row[0] for row in book["Wilayah"].iter_rows(min_row=2, values_only=True)}
    assert malang.kecamatan_name in wilayah
    add_people(ppk_session, malang.regency_id, Level.KPPS, malang.kecamatan_id, 2,
               attended=1, desa_id=malang.desa_id, tps_id=malang.tps_ids[0],
               name="=HYPERLINK(\"http://x\")")  # fmt: skip
    exported = client.get(f"{BASE}/{ppk_session}/peserta.xlsx")
    sheet = load_workbook(io.BytesIO(exported.data))["Peserta"]
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert rows[0][:9] == ('=HYPERLINK("http://x") 1', "KPPS", malang.kecamatan_name,
                           malang.desa_name, "001", "Anggota", None, "Ya", None)  # fmt: skip
    assert sheet.cell(5, 1).data_type == "s"  # text, never a formula
    other = make_session(malang.regency_id)
    again = client.post(
        f"{BASE}/{other}/peserta/impor", data={"file": (io.BytesIO(exported.data), "e.xlsx")}
    )
    assert again.status_code == 303
    assert len(people()) == 4


# --- attendance and scores --------------------------------------------------------------------


def test_attendance_is_ticked_a_row_at_a_time_with_the_figures_out_of_band(
    login_as, malang, ppk_session
):
    ids = add_people(ppk_session, malang.regency_id, Level.PPK, malang.kecamatan_id, 4)
    client = login_as("anggota_a")
    response = client.post(
        f"{BASE}/{ppk_session}/peserta/{ids[1]}/hadir",
        data={"hadir": "1", "nomor": "2"},
        headers=HX,
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<tr id="participant-{ids[1]}"')
    assert "checked" in fragment and '<td class="num">2</td>' in fragment
    assert 'id="attendance-summary" class="bimtek-summary" hx-swap-oob="true"' in fragment
    assert "<strong>1</strong> dari <strong>4</strong> peserta hadir" in fragment
    plain = client.post(f"{BASE}/{ppk_session}/peserta/{ids[1]}/hadir", data={})
    assert plain.status_code == 303
    assert [p.attended for p in people()] == [False, False, False, False]
    everyone = client.post(f"{BASE}/{ppk_session}/peserta/hadir-semua", headers=HX)
    assert "4 peserta ditandai hadir" in everyone.get_data(as_text=True)
    assert all(p.attended for p in people())


def test_search_filters_the_list_as_you_type(login_as, malang, ppk_session):
    add_people(ppk_session, malang.regency_id, Level.PPK, malang.kecamatan_id, 2, name="Siti")
    add_people(ppk_session, malang.regency_id, Level.PPK, malang.kecamatan_id, 1, name="Bambang")
    client = login_as("pemantau_a")
    fragment = client.get(f"{BASE}/{ppk_session}/peserta", query_string={"q": "sit"}, headers=HX)
    body = fragment.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="participant-table">')
    assert "Siti 1" in body and "Siti 2" in body and "Bambang" not in body
    assert 'type="checkbox"' not in body  # a pemantau reads attendance, never ticks it
    page = client.get(f"{BASE}/{ppk_session}/peserta", query_string={"q": "%"})
    assert "Tidak ada peserta dengan nama memuat “%”" in page.get_data(as_text=True)


def test_scores_are_saved_with_the_average_gain(login_as, malang, ppk_session):
    ids = add_people(ppk_session, malang.regency_id, Level.PPK, malang.kecamatan_id, 3)
    client = login_as("operator_a")
    data = {f"pre-{ids[0]}": "50", f"post-{ids[0]}": "80", f"pre-{ids[1]}": "60",
            f"post-{ids[1]}": "70", f"pre-{ids[2]}": "", f"post-{ids[2]}": "90"}  # fmt: skip
    response = client.post(f"{BASE}/{ppk_session}/nilai", data=data, headers=HX)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<strong>+20,0</strong> rata-rata kenaikan (2 peserta)" in page
    assert "<strong>55,0</strong> rata-rata pre-test" in page
    assert [(p.pre_score, p.post_score) for p in people()] == [(50, 80), (60, 70), (None, 90)]


@pytest.mark.parametrize("bad", ["101", "-1", "7.5", "lima", "99999999999"])
def test_bad_scores_are_refused_next_to_the_input(login_as, malang, ppk_session, bad):
    ids = add_people(ppk_session, malang.regency_id, Level.PPK, malang.kecamatan_id, 1)
    response = login_as("operator_a").post(
        f"{BASE}/{ppk_session}/nilai", data={f"pre-{ids[0]}": bad, f"post-{ids[0]}": "80"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="pre-{ids[0]}-error"' in page and "bilangan bulat 0–100" in page
    assert people()[0].post_score is None


@pytest.mark.parametrize(
    ("username", "status"),
    [("operator_a", 303), ("anggota_a", 303), ("pemantau_a", 403), ("provinsi", 403),
     ("admin", 303), ("operator_b", 404)],
)  # fmt: skip
def test_who_may_change_the_list(login_as, malang, ppk_session, username, status):
    ids = add_people(ppk_session, malang.regency_id, Level.PPK, malang.kecamatan_id, 1)
    client = login_as(username)
    assert (
        client.post(f"{BASE}/{ppk_session}/peserta/{ids[0]}/hadir", data={"hadir": "1"}).status_code
        == status
    )
    assert people()[0].attended is (status == 303)


def test_participants_of_another_regency_answer_404(login_as, malang, ppk_session):
    surabaya = world_of(REGENCY_B)
    theirs = make_session(surabaya.regency_id)
    (their_person,) = add_people(theirs, surabaya.regency_id, Level.PPK, surabaya.kecamatan_id, 1)
    client = login_as("operator_a")
    assert (
        client.post(
            f"{BASE}/{ppk_session}/peserta/{their_person}/hadir", data={"hadir": "1"}
        ).status_code
        == 404
    )
    assert client.post(f"{BASE}/{ppk_session}/peserta/{their_person}/hapus").status_code == 404
    assert client.get(f"{BASE}/{theirs}/peserta.xlsx").status_code == 404
    assert count(Participant) == 1 and not people()[0].attended
