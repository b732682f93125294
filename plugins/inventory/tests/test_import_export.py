"""The DIM sheet in and out: XLSX/CSV export of the filtered list, the print
view, and the all-or-nothing import of the export's columns."""

import csv
import io
import re
import time
import zipfile
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, func, select

from phpnet.plugin_api import (
    AuditEntry,
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
from phpnet.testing import HX, REGENCY_A, REGENCY_B
from plugins.inventory import importer
from plugins.inventory.columns import HEADERS
from plugins.inventory.importer import read_upload
from plugins.inventory.models import (
    Entry,
    FollowUp,
    Level,
    Race,
    RecordForm,
    Stage,
    Status,
)
from plugins.inventory.tests.list_helpers import category, first_tps, make_entry

BASE = f"/r/{REGENCY_A}/inventory"
FORMULAS = ('=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3")
ENTRY_COLUMNS = (
    "level", "kecamatan_id", "desa_id", "tps_id", "race", "dapil", "stage", "category_id",
    "occurred_at", "description", "objector", "record_form", "record_form_number",
    "bawaslu_letter_number", "bawaslu_letter_date", "bawaslu_content", "follow_up",
    "follow_up_detail", "follow_up_date", "status", "vote_difference", "person_in_charge_id",
    "notes",
)  # fmt: skip


# --- helpers ---------------------------------------------------------------------


def _team(regency: Regency, *names: str) -> list[TeamMember]:
    team = Team(
        regency_id=regency.id, sk_number="7/2024", sk_date=date(2024, 1, 5), signed_by="Ketua"
    )
    members = [
        TeamMember(
            regency_id=regency.id,
            team=team,
            name=name,
            position=Position.ANGGOTA,
            unit=OfficeUnit.DIVISI_HUKUM,
        )
        for name in names
    ]
    db.session.add_all(members)
    db.session.flush()
    return members


def _kecamatan(regency: Regency) -> Kecamatan:
    return db.session.execute(
        select(Kecamatan).filter_by(regency_id=regency.id).order_by(Kecamatan.code).limit(1)
    ).scalar_one()


def _varied_entries(regency: Regency) -> list[Entry]:
    """Entries at every level, with every optional field both filled and empty,
    formula-looking, multi-line and non-ASCII text."""
    tps = first_tps(regency, 4)  # the second desa's second TPS
    desa = db.session.get(Desa, tps.desa_id)
    kecamatan = _kecamatan(regency)
    (person,) = _team(regency, "Dr. Siti Rahayu, S.H.")
    return [
        make_entry(regency),
        make_entry(
            regency,
            tps=tps,
            race=Race.DPRD_KABKOTA,
            dapil="Malang 3",
            stage=Stage.PENGHITUNGAN,
            category_id=category("C.Hasil").id,
            occurred_at=datetime(2024, 2, 14, 21, 45),
            description="Saksi menolak tanda tangan.\nC.Hasil plano berbeda dengan salinan.",
            objector="Saksi Partai A (nomor urut 1)",
            record_form=RecordForm.C_KEJADIAN_KHUSUS,
            record_form_number="KK-001/2024",
            bawaslu_letter_number="012/PM.00.02/K.JI-12/02/2024",
            bawaslu_letter_date=date(2024, 2, 16),
            bawaslu_content="Rekomendasi penghitungan suara ulang.",
            follow_up=FollowUp.RECOUNT,
            follow_up_detail="Dihitung ulang di rapat pleno PPK",
            follow_up_date=date(2024, 2, 20),
            status=Status.DISPUTE_LIKELY,
            vote_difference=1250,
            person_in_charge_id=person.id,
            notes="Catatan: “kutipan” dan é ü — 100%\r\nBaris kedua <b>&amp;",
        ),
        make_entry(
            regency,
            level=Level.DESA,
            kecamatan_id=desa.kecamatan_id,
            desa_id=desa.id,
            tps_id=None,
            race=Race.PPWP,
            vote_difference=0,
            description=FORMULAS[0],
            objector=FORMULAS[1],
            notes=FORMULAS[2],
            dapil=FORMULAS[3],
        ),
        make_entry(
            regency,
            level=Level.KECAMATAN,
            kecamatan_id=kecamatan.id,
            desa_id=None,
            tps_id=None,
            stage=Stage.REKAP_KECAMATAN,
            race=Race.BUPATI,
            occurred_at=datetime(2024, 2, 18, 9, 5),
            follow_up=FollowUp.PLENARY_CORRECTION,
            status=Status.RESOLVED,
        ),
        make_entry(
            regency,
            level=Level.KABKOTA,
            kecamatan_id=None,
            desa_id=None,
            tps_id=None,
            stage=Stage.REKAP_KABKOTA,
            race=Race.DPD,
            occurred_at=datetime(2024, 3, 1, 0, 0),
        ),
    ]


def _stored(regency: Regency) -> list[tuple[Any, ...]]:
    """The regency's live entries as comparable tuples, in a stable order."""
    entries = db.session.execute(
        select(Entry).filter_by(regency_id=regency.id, deleted_at=None)
    ).scalars()
    return sorted(
        (tuple(getattr(e, column) for column in ENTRY_COLUMNS) for e in entries), key=repr
    )


def _count(regency: Regency) -> int:
    return db.session.execute(
        select(func.count(Entry.id)).filter_by(regency_id=regency.id)
    ).scalar_one()


def _empty_inventory(regency: Regency) -> None:
    db.session.execute(delete(Entry).where(Entry.regency_id == regency.id))
    db.session.commit()


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[rows.index(list(HEADERS)) + 1 :]


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(HEADERS)
    return rows[1:]


def _csv_file(*rows: list[object], header: tuple[str, ...] = HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _valid_row(regency: Regency, **changes: object) -> list[object]:
    """A CSV row (by header) of an entry at the first TPS of ``regency``."""
    tps = first_tps(regency)
    desa = db.session.get(Desa, tps.desa_id)
    cells: dict[str, object] = dict.fromkeys(HEADERS, "")
    cells.update(
        {
            "Kode wilayah": desa.code,
            "TPS": tps.number,
            "Tingkat": "TPS (KPPS)",
            "Jenis pemilihan": "DPR",
            "Tahapan": "Pemungutan suara",
            "Kategori": category().name,
            "Tanggal": "14/02/2024",
            "Jam": "10:30",
            "Uraian kejadian": "Surat suara kurang",
        }
    )
    cells.update(changes)
    return [cells[header] for header in HEADERS]


def _upload(client: Any, data: bytes, name: str = "dim.csv", headers: Any = None) -> Any:
    return client.post(
        f"{BASE}/impor",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers=headers,
    )


def _problems(data: bytes, regency: Regency, name: str = "dim.csv") -> set[tuple[Any, ...]]:
    report = read_upload(name, data, regency)
    assert not report.rows
    return {(p.row, p.column, p.message) for p in report.problems}


# --- round trip --------------------------------------------------------------------


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_an_exported_file_imports_back_into_an_empty_inventory_unchanged(
    login_as, regency, extension
):
    malang = regency(REGENCY_A)
    _varied_entries(malang)
    db.session.commit()
    before = _stored(malang)
    client = login_as("operator_a")
    exported = client.get(f"{BASE}/ekspor.{extension}")
    assert exported.status_code == 200
    sheet = exported.data  # read before emptying: the CSV is streamed lazily
    _empty_inventory(malang)

    response = _upload(client, sheet, name=f"dim-malang.{extension}")

    assert response.status_code == 303
    assert _stored(malang) == before
    again = client.get(f"{BASE}/ekspor.{extension}").data
    rows = _xlsx_rows if extension == "xlsx" else _csv_rows
    # Rows with the same moment may swap places (and numbers): compare without "No".
    assert sorted(repr(row[1:]) for row in rows(again)) == sorted(
        repr(row[1:]) for row in rows(sheet)
    )


def test_the_import_leaves_one_summary_in_the_audit_log(login_as, regency):
    malang = regency(REGENCY_A)
    data = _csv_file(_valid_row(malang), _valid_row(malang, **{"Uraian kejadian": "Kedua"}))

    response = _upload(login_as("operator_a"), data, name="dim.csv")

    assert response.status_code == 303
    assert _count(malang) == 2
    audits = db.session.execute(select(AuditEntry).filter_by(action="inventory_import")).scalars()
    (audit,) = audits.all()
    assert audit.regency_id == malang.id
    assert audit.after == {"file": "dim.csv", "format": "csv", "entries": 2}
    # Bulk inserts: one summary, not an audit entry per row.
    per_row = select(func.count(AuditEntry.id)).filter_by(object_type="inventory_entry")
    assert db.session.execute(per_row).scalar_one() == 1


def test_htmx_import_answers_with_rows_checked_imported_and_time(login_as, regency):
    malang = regency(REGENCY_A)

    response = _upload(login_as("anggota_a"), _csv_file(_valid_row(malang)), headers=HX)

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="dim-import"')
    assert re.search(r"Baris diperiksa</dt><dd>1</dd>", body)
    assert re.search(r"Entri ditambahkan</dt><dd>1</dd>", body)
    assert re.search(r"Waktu</dt><dd>\d+,\d detik</dd>", body)


def test_a_plain_import_redirects_and_says_what_it_did(login_as, regency):
    malang = regency(REGENCY_A)
    client = login_as("operator_a")

    response = _upload(client, _csv_file(_valid_row(malang)))
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    assert response.status_code == 303
    assert re.search(r"1 baris diperiksa, 1 entri ditambahkan dalam \d+,\d detik", page)


# --- formula safety ----------------------------------------------------------------


def _formula_entries(regency: Regency) -> None:
    for text in FORMULAS:
        make_entry(regency, description=text, objector=text, notes=text, dapil=text[:100])
    db.session.commit()


def test_xlsx_export_never_holds_a_formula(login_as, regency):
    _formula_entries(regency(REGENCY_A))

    data = login_as("pemantau_a").get(f"{BASE}/ekspor.xlsx").data

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        assert sheets
        for name in sheets:
            assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    sheet = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[4]]
    columns = [
        header.index(h) for h in ("Dapil", "Uraian kejadian", "Pihak yang keberatan", "Catatan")
    ]
    seen = set()
    for row in sheet.iter_rows(min_row=5):
        for index in columns:
            cell = row[index]
            assert cell.data_type == "s"
            assert cell.quotePrefix is True
            seen.add(cell.value)
    assert seen == set(FORMULAS)


def test_csv_export_puts_an_apostrophe_before_formula_text(login_as, regency):
    _formula_entries(regency(REGENCY_A))

    rows = _csv_rows(login_as("provinsi").get(f"{BASE}/ekspor.csv").data)

    description = HEADERS.index("Uraian kejadian")
    assert sorted(row[description] for row in rows) == sorted("'" + f for f in FORMULAS)
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_formula_looking_text_imports_as_the_same_text(login_as, regency, extension):
    malang = regency(REGENCY_A)
    _formula_entries(malang)
    before = _stored(malang)
    client = login_as("operator_a")
    sheet = client.get(f"{BASE}/ekspor.{extension}").data
    _empty_inventory(malang)

    assert _upload(client, sheet, name=f"dim.{extension}").status_code == 303
    assert _stored(malang) == before


# --- what is exported ------------------------------------------------------------


def test_the_export_holds_only_the_filtered_rows_of_its_own_regency(login_as, regency):
    malang, surabaya = regency(REGENCY_A), regency(REGENCY_B)
    make_entry(malang, status=Status.RESOLVED, description="Selesai di Malang")
    make_entry(malang, status=Status.OPEN, description="Terbuka di Malang")
    make_entry(
        malang, status=Status.RESOLVED, description="Dihapus", deleted_at=datetime(2024, 3, 1)
    )
    make_entry(surabaya, status=Status.RESOLVED, description="Selesai di Surabaya")
    db.session.commit()
    client = login_as("operator_a")
    description = HEADERS.index("Uraian kejadian")

    xlsx = _xlsx_rows(client.get(f"{BASE}/ekspor.xlsx?status=selesai").data)
    csv_rows = _csv_rows(client.get(f"{BASE}/ekspor.csv?status=selesai").data)
    printed = client.get(f"{BASE}/cetak?status=selesai").get_data(as_text=True)
    everything = _csv_rows(client.get(f"{BASE}/ekspor.csv").data)

    assert [row[description] for row in xlsx] == ["Selesai di Malang"]
    assert [row[description] for row in csv_rows] == ["Selesai di Malang"]
    assert "Selesai di Malang" in printed
    assert "Terbuka di Malang" not in printed and "Surabaya" not in printed
    assert sorted(row[description] for row in everything) == [
        "Selesai di Malang",
        "Terbuka di Malang",
    ]


def test_the_xlsx_is_formatted_as_an_office_sheet(login_as, regency):
    malang = regency(REGENCY_A)
    make_entry(malang, vote_difference=12, occurred_at=datetime(2024, 2, 14, 13, 5))
    db.session.commit()

    response = login_as("operator_a").get(f"{BASE}/ekspor.xlsx?stage=pemungutan&q=pindah")

    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A1"].value == "Daftar Inventarisasi Masalah — Kabupaten Malang"
    assert sheet["A1"].font.bold
    assert "Tahapan: Pemungutan suara" in sheet["A2"].value
    assert "Pencarian: “pindah”" in sheet["A2"].value
    assert [c.value for c in sheet[4]] == list(HEADERS)
    assert all(c.font.bold for c in sheet[4])
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:AB5"
    assert 50 <= sheet.column_dimensions["N"].width < 51  # Uraian kejadian (Excel adds padding)
    row = {h: c for h, c in zip(HEADERS, sheet[5], strict=True)}
    assert row["Uraian kejadian"].alignment.wrap_text
    assert row["Tanggal"].value == datetime(2024, 2, 14)
    assert row["Tanggal"].number_format == "DD/MM/YYYY"
    assert row["Jam"].number_format == "HH:MM"
    assert row["Selisih suara"].value == 12
    assert row["Kab/Kota"].value == "Kabupaten Malang"
    assert sheet.page_setup.orientation == "landscape"


def test_the_print_view_has_the_letterhead_and_a_print_stylesheet(login_as, regency):
    malang = regency(REGENCY_A)
    make_entry(malang, description='<script>alert(1)</script> "kutip"')
    db.session.commit()

    response = login_as("pemantau_a").get(f"{BASE}/cetak")

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "KOMISI PEMILIHAN UMUM KABUPATEN MALANG" in body
    assert "Simpan sebagai PDF" in body
    assert re.search(
        r"Filter: Semua entri · Dicetak \d\d/\d\d/\d{4} \d\d\.\d\d WIB oleh Pemantau A", body
    )
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "style=" not in body
    css = (
        login_as("pemantau_a")
        .get(re.search(r'href="([^"]*print\.css)"', body).group(1))
        .get_data(as_text=True)
    )
    assert "@media print" in css and "landscape" in css


def test_the_print_view_is_signed_by_the_chair_of_the_team_in_force(login_as, regency, move_clock):
    malang = regency(REGENCY_A)
    make_entry(malang)
    db.session.commit()
    move_clock(date(2024, 3, 4))
    unsigned = login_as("pemantau_a").get(f"{BASE}/cetak").get_data(as_text=True)
    assert "Jalan …" not in unsigned  # the office letterhead, no placeholder address
    assert 'class="print-document print-landscape"' in unsigned
    signature = re.search(r'<div class="signature-block">.*?</div>', unsigned, re.S).group(0)
    assert "Malang, 4 Maret 2024" in signature
    assert "Ketua Tim Penyelesaian PHP Kabupaten Malang," in signature
    assert "(......" in signature  # no team yet: a line to sign on

    team = Team(
        regency_id=malang.id, sk_number="5/2024", sk_date=date(2024, 1, 5), signed_by="Ketua KPU"
    )
    team.members = [
        TeamMember(regency_id=malang.id, name=name, position=position, unit=OfficeUnit.DIVISI_HUKUM)
        for name, position in (
            ("Anggota Tim", Position.ANGGOTA),
            ("Dra. Ketua Tim", Position.KETUA),
        )
    ]
    db.session.add(team)
    db.session.commit()
    signed = login_as("pemantau_a").get(f"{BASE}/cetak").get_data(as_text=True)
    signature = re.search(r'<div class="signature-block">.*?</div>', signed, re.S).group(0)
    assert '<p class="signature-name">Dra. Ketua Tim</p>' in signature


# --- broken imports ------------------------------------------------------------------


def _desa_of_surabaya(surabaya: Regency) -> Desa:
    return db.session.get(Desa, first_tps(surabaya).desa_id)


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"Kode wilayah": "35.07.99.9999"}, "E (Kode wilayah)", "tidak ada"),
        ({"Kode wilayah": "35-07"}, "E (Kode wilayah)", "tidak sah"),
        ({"TPS": 9}, "F (TPS)", "TPS 9 tidak ada di desa/kelurahan"),
        ({"TPS": "sembilan"}, "F (TPS)", "harus bilangan bulat"),
        ({"Tingkat": "Kecamatan (PPK)"}, "G (Tingkat)", "tidak sesuai dengan lokasi"),
        ({"Jenis pemilihan": "Pilpres"}, "H (Jenis pemilihan)", "“Pilpres” tidak dikenal"),
        ({"Tahapan": "Pencoblosan"}, "J (Tahapan)", "“Pencoblosan” tidak dikenal"),
        ({"Kategori": "Hujan deras"}, "K (Kategori)", "Kategori “Hujan deras” tidak ada"),
        ({"Kategori": ""}, "K (Kategori)", "Wajib diisi"),
        ({"Tanggal": "31/02/2024"}, "L (Tanggal)", "tidak sah"),
        ({"Tanggal": "14/02/0224"}, "L (Tanggal)", "di luar rentang"),
        ({"Tanggal": ""}, "L (Tanggal)", "Wajib diisi"),
        ({"Jam": "25:00"}, "M (Jam)", "tidak sah"),
        ({"Uraian kejadian": "   "}, "N (Uraian kejadian)", "Wajib diisi"),
        ({"Pihak yang keberatan": "x" * 201}, "O (Pihak yang keberatan)", "maksimal 200"),
        ({"Dapil": "d" * 101}, "I (Dapil)", "Terlalu panjang (101 karakter, maksimal 100)"),
        ({"Tanggal rekomendasi": "kemarin"}, "S (Tanggal rekomendasi)", "tidak sah"),
        ({"Status": "Ditolak"}, "X (Status)", "“Ditolak” tidak dikenal"),
        ({"Selisih suara": "-5"}, "Y (Selisih suara)", "tidak boleh negatif"),
        ({"Selisih suara": "12,5"}, "Y (Selisih suara)", "harus bilangan bulat"),
        ({"Penanggung jawab": "Orang Lain"}, "Z (Penanggung jawab)", "bukan anggota tim"),
    ],
)
def test_each_broken_value_is_reported_at_its_row_and_column(app, regency, changes, column, reason):
    malang = regency(REGENCY_A)
    _team(malang, "Budi Santoso")
    good = _valid_row(malang, **{"Penanggung jawab": "budi santoso"})
    data = _csv_file(good, _valid_row(malang, **changes), good)

    problems = _problems(data, malang)

    assert [(row, where) for row, where, _ in problems] == [(3, column)]
    (message,) = [message for _, _, message in problems]
    assert reason in message


def test_a_location_of_another_regency_is_refused_row_by_row(login_as, regency):
    """A Surabaya file imported into Malang: locations are looked up in Malang only."""
    malang, surabaya = regency(REGENCY_A), regency(REGENCY_B)
    desa = _desa_of_surabaya(surabaya)
    rows = [
        _valid_row(malang, **{"Kode wilayah": code}) for code in (desa.code, "35.78", desa.code[:8])
    ]

    problems = _problems(_csv_file(*rows), malang)

    assert {(row, where) for row, where, _ in problems} == {
        (2, "E (Kode wilayah)"),
        (3, "E (Kode wilayah)"),
        (4, "E (Kode wilayah)"),
    }
    for _, _, message in problems:
        assert "termasuk Kota Surabaya, bukan Kabupaten Malang" in message


def test_a_malang_export_is_refused_by_surabaya_and_nothing_is_imported(login_as, regency):
    malang, surabaya = regency(REGENCY_A), regency(REGENCY_B)
    _varied_entries(malang)
    db.session.commit()
    sheet = login_as("operator_a").get(f"{BASE}/ekspor.xlsx").data
    kabkota_row = 5 + 0  # the kab/kota entry (newest) is the first row under the header

    response = login_as("operator_b").post(
        f"/r/{REGENCY_B}/inventory/impor",
        data={"file": (io.BytesIO(sheet), "dim-malang.xlsx")},
        content_type="multipart/form-data",
    )

    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _count(surabaya) == 0
    assert "Tidak ada entri yang diimpor" in body
    assert body.count("termasuk Kabupaten Malang, bukan Kota Surabaya") == 5
    assert f'<td class="num">{kabkota_row}</td>' in body


def test_every_broken_row_is_listed_and_nothing_is_imported(login_as, regency):
    malang = regency(REGENCY_A)
    rows = [
        _valid_row(malang),
        _valid_row(malang, **{"Tanggal": "2024-13-01", "Jam": "jam sepuluh"}),
        _valid_row(malang, **{"Uraian kejadian": '=HYPERLINK("http://evil","x")'}),  # fine
        _valid_row(malang, **{"Selisih suara": "-1"}),
    ]

    response = _upload(login_as("operator_a"), _csv_file(*rows))

    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _count(malang) == 0
    assert "Berkas ditolak: 3 masalah" in body
    assert "4 baris diperiksa, 2 baris bermasalah" in body
    cells = re.findall(r'<td class="num">(\d+)</td>\s*<td>([^<]+)</td>', body)
    assert cells == [("3", "L (Tanggal)"), ("3", "M (Jam)"), ("5", "Y (Selisih suara)")]


def test_the_same_file_imported_twice_is_refused_the_second_time(login_as, regency):
    malang = regency(REGENCY_A)
    data = _csv_file(_valid_row(malang), _valid_row(malang, **{"Uraian kejadian": "Kedua"}))
    client = login_as("operator_a")
    assert _upload(client, data).status_code == 303

    response = _upload(client, data)

    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _count(malang) == 2
    assert body.count("Kejadian ini sudah ada di DIM (entri #") == 2
    rows = re.findall(r'<td class="num">(\d+)</td>\s*<td>-</td>', body)
    assert rows == ["2", "3"]


def test_the_person_in_charge_must_be_in_the_current_team(app, regency):
    malang = regency(REGENCY_A)
    data = _csv_file(_valid_row(malang, **{"Penanggung jawab": "Budi Santoso"}))

    (problem,) = _problems(data, malang)

    assert problem[1] == "Z (Penanggung jawab)"
    assert "belum punya tim PHP" in problem[2]


def test_header_problems_are_named(app, regency):
    malang = regency(REGENCY_A)
    without_category = tuple(h for h in HEADERS if h != "Kategori")
    unknown = (*HEADERS, "Kolom rahasia")
    twice = (*HEADERS, "Status")

    assert "Baris judul kolom tidak ditemukan" in _message(
        _csv_file(header=without_category), malang
    )
    assert _where(_csv_file(header=unknown), malang) == (1, "AC (kolom rahasia)")
    assert "muncul lebih dari sekali" in _message(_csv_file(header=twice), malang)
    assert "hanya baris judul" in _message(_csv_file(), malang)


def _message(data: bytes, regency: Regency) -> str:
    (problem,) = _problems(data, regency)
    return problem[2]


def _where(data: bytes, regency: Regency) -> tuple[Any, Any]:
    (problem,) = _problems(data, regency)
    return problem[0], problem[1]


def test_a_hand_made_sheet_with_only_the_needed_columns_and_loose_spelling_imports(app, regency):
    malang = regency(REGENCY_A)
    tps = first_tps(malang)
    desa = db.session.get(Desa, tps.desa_id)
    header = ("kode WILAYAH", "tps", "Jenis Pemilihan", "tahapan", "KATEGORI", "Tanggal",
              "Jam", "Uraian kejadian", "Selisih suara", "Status")  # fmt: skip
    row = [desa.code.replace(".", ""), "TPS 001", "dpr", "PEMUNGUTAN SUARA",
           category().name.upper(), "2024-02-14", "10.30 WIB", "Kotak suara rusak", "1.250",
           "berpotensi_sengketa"]  # fmt: skip
    semicolons = ";".join(header) + "\n" + ";".join(row) + "\n"

    report = read_upload("dim.csv", b"\xef\xbb\xbf" + semicolons.encode(), malang)

    assert not report.problems
    (values,) = report.rows
    assert values["tps_id"] == tps.id and values["level"] is Level.TPS
    assert values["occurred_at"] == datetime(2024, 2, 14, 10, 30)
    assert values["vote_difference"] == 1250
    assert values["status"] is Status.DISPUTE_LIKELY
    assert values["follow_up"] is FollowUp.NONE and values["record_form"] is RecordForm.NONE


# --- the file itself ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("dim.pdf", b"%PDF-1.7\n", "Berkas harus XLSX (.xlsx) atau CSV (.csv)."),
        ("dim.xls", b"\xd0\xcf\x11\xe0", "Berkas harus XLSX (.xlsx) atau CSV (.csv)."),
        ("dim.xlsx", b"No,Kab/Kota\n1,Malang\n", "Berkas bukan XLSX yang sah"),
        ("dim.xlsx", b"PK\x03\x04 not a zip at all", "Berkas bukan XLSX yang sah"),
        ("dim.csv", "Tanggal;Uraian\n14/02/2024;Caf\xe9\n".encode("latin-1"), "bukan teks UTF-8"),
        ("dim.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "bukan teks UTF-8"),
    ],
)
def test_a_file_that_is_not_a_dim_sheet_gets_422_and_a_message(login_as, name, data, reason):
    response = _upload(login_as("operator_a"), data, name=name)

    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)


def test_a_zip_that_is_not_a_workbook_is_refused(login_as):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "bukan lembar kerja")

    response = _upload(login_as("operator_a"), buffer.getvalue(), name="dim.xlsx")

    assert response.status_code == 422
    assert "Berkas bukan XLSX yang sah" in response.get_data(as_text=True)


def test_no_file_is_asked_for(login_as):
    response = login_as("operator_a").post(f"{BASE}/impor", data={})

    assert response.status_code == 422
    assert "Pilih berkas XLSX atau CSV." in response.get_data(as_text=True)


def test_a_file_over_10_mb_is_refused(login_as, regency):
    malang = regency(REGENCY_A)
    row = _valid_row(malang, **{"Uraian kejadian": "x" * 9_000})
    data = _csv_file(*[row] * 1_200)
    assert len(data) > 10 * 2**20

    response = _upload(login_as("operator_a"), data)

    assert response.status_code == 422
    assert "Berkas terlalu besar (maksimal 10 MB)." in response.get_data(as_text=True)
    assert _count(malang) == 0


def test_too_many_rows_are_refused(app, regency, monkeypatch):
    monkeypatch.setattr(importer, "MAX_IMPORT_ROWS", 3)
    malang = regency(REGENCY_A)

    assert "lebih dari 3 baris data" in _message(_csv_file(*[_valid_row(malang)] * 4), malang)
    assert not _problems_or_none(_csv_file(*[_valid_row(malang)] * 3), malang)


def _problems_or_none(data: bytes, regency: Regency) -> list[Any]:
    return read_upload("dim.csv", data, regency).problems


# --- volume ---------------------------------------------------------------------------


def test_5000_rows_import_in_a_few_seconds(login_as, regency):
    malang = regency(REGENCY_A)
    stations = db.session.execute(
        select(Desa.code, Tps.number)
        .join(Tps, Tps.desa_id == Desa.id)
        .where(Tps.regency_id == malang.id)
    ).all()
    base = dict(zip(HEADERS, _valid_row(malang), strict=True))
    statuses = ("Belum ditindaklanjuti", "Selesai", "Berpotensi sengketa")
    rows = []
    for i in range(5_000):
        code, number = stations[i % len(stations)]
        cells = base | {
            "Kode wilayah": code,
            "TPS": number,
            "Tanggal": f"{1 + i % 28:02d}/02/2024",
            "Uraian kejadian": f"Kejadian nomor {i}: surat suara tertukar antar-dapil.",
            "Selisih suara": i,
            "Status": statuses[i % 3],
        }
        rows.append([cells[header] for header in HEADERS])
    data = _csv_file(*rows)
    client = login_as("operator_a")

    started = time.perf_counter()
    response = _upload(client, data, headers=HX)
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert "Entri ditambahkan</dt><dd>5.000</dd>" in response.get_data(as_text=True)
    assert _count(malang) == 5_000
    assert elapsed < 10, f"5.000 baris diimpor dalam {elapsed:.1f} detik"


# --- access ---------------------------------------------------------------------------

READ_ROUTES = ("ekspor.xlsx", "ekspor.csv", "cetak")


@pytest.mark.parametrize("route", READ_ROUTES)
@pytest.mark.parametrize("username", ["admin", "provinsi", "operator_a", "anggota_a", "pemantau_a"])
def test_whoever_reads_the_regency_may_export_and_print(login_as, route, username):
    assert login_as(username).get(f"{BASE}/{route}").status_code == 200


@pytest.mark.parametrize("route", [*READ_ROUTES, "impor"])
@pytest.mark.parametrize("username", ["operator_b", "anggota_b", "pemantau_b"])
@pytest.mark.parametrize("headers", [None, HX])
def test_another_regency_gets_404(login_as, route, username, headers):
    assert login_as(username).get(f"{BASE}/{route}", headers=headers).status_code == 404


@pytest.mark.parametrize("route", [*READ_ROUTES, "impor"])
def test_without_login_the_login_page_is_asked_for(client, route):
    response = client.get(f"{BASE}/{route}")

    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"] or "login" in response.headers["Location"]


@pytest.mark.parametrize("username", ["admin", "operator_a", "anggota_a"])
@pytest.mark.parametrize("headers", [None, HX])
def test_editors_see_the_import_form(login_as, username, headers):
    response = login_as(username).get(f"{BASE}/impor", headers=headers)

    assert response.status_code == 200
    assert 'name="file"' in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["pemantau_a", "provinsi"])
@pytest.mark.parametrize("headers", [None, HX])
def test_readers_may_not_import(login_as, regency, username, headers):
    malang = regency(REGENCY_A)
    client = login_as(username)

    assert client.get(f"{BASE}/impor", headers=headers).status_code == 403
    assert _upload(client, _csv_file(_valid_row(malang)), headers=headers).status_code == 403
    assert _count(malang) == 0


def test_another_regency_cannot_post_an_import(login_as, regency):
    malang = regency(REGENCY_A)

    response = _upload(login_as("operator_b"), _csv_file(_valid_row(malang)))

    assert response.status_code == 404
    assert _count(malang) == 0
