"""TPS: import from the office's CSV (all or nothing) and demo generation."""

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from phpnet.audit.models import AuditEntry
from phpnet.extensions import db
from phpnet.regions.models import Desa, Regency, Tps, dotted_code
from phpnet.regions.tps import MAX_IMPORT_BYTES, apply_tps_import, read_tps_csv
from phpnet.regions.tps_generate import PROVINCE_TPS_TOTAL, generate_tps
from phpnet.testing import HX, REGENCY_A, REGENCY_B

HEADER = "kode_desa,nomor_tps,alamat,jumlah_pemilih"
# The first desa of each test regency holds TPS 1-3 (voters 251-253, no address).
DESA_A = "35.07.01.2001"  # Tulungrejo, Donomulyo, Kab. Malang
DESA_A2 = "35.07.01.2002"  # Banjarejo: TPS 1-3 as well
DESA_NEW = "35.07.01.2003"  # Kedungsalam: no TPS yet
DESA_A_LAST = "35.07.33.2010"  # Sidorejo, Pagelaran


def _desa_b() -> str:
    return db.session.execute(
        select(Desa.code).where(Desa.code.startswith("35.78.")).order_by(Desa.code).limit(1)
    ).scalar_one()


def _regency(code: str) -> Regency:
    return db.session.execute(select(Regency).filter_by(code=dotted_code(code))).scalar_one()


def _tps_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Tps))


def _stations(desa_code: str) -> list[tuple[int, str | None, int | None]]:
    return [
        tuple(row)
        for row in db.session.execute(
            select(Tps.number, Tps.address, Tps.voter_count)
            .join(Tps.desa)
            .where(Desa.code == desa_code)
            .order_by(Tps.number)
        )
    ]


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _problems(data: bytes, regency_code: str | None = REGENCY_A) -> list[tuple[int | None, str]]:
    regency = _regency(regency_code) if regency_code else None
    report = read_tps_csv(data, regency)
    assert report.rows == [] or not report.problems
    return [(p.line, p.message) for p in report.problems]


# --- reading the file --------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "line", "reason"),
    [
        ([HEADER, f"{DESA_A},4,,", "35.07.01.2999,1,,"], 3, "tidak ada"),
        ([HEADER, "35.07.01,1,,"], 2, "tidak sah"),
        ([HEADER, f"{DESA_A},4,,", "{desa_b},1,,"], 3, "tidak termasuk Kabupaten Malang"),
        ([HEADER, f"{DESA_A},0,,"], 2, "bilangan bulat positif"),
        ([HEADER, f"{DESA_A},-1,,"], 2, "bilangan bulat positif"),
        ([HEADER, f"{DESA_A},1.5,,"], 2, "bilangan bulat positif"),
        ([HEADER, f"{DESA_A},satu,,"], 2, "bilangan bulat positif"),
        ([HEADER, f"{DESA_A},4,,", f"{DESA_A},5,,", "3507012001,004,,"], 4, "sudah ada di baris 2"),
        ([HEADER, f"{DESA_A},4,,-5"], 2, "bilangan bulat tidak negatif"),
        ([HEADER, f"{DESA_A},4,,250 orang"], 2, "bilangan bulat tidak negatif"),
        ([HEADER, f"{DESA_A},4,{'x' * 256},"], 2, "Alamat terlalu panjang (256 karakter"),
        ([HEADER, f"{DESA_A},4,,", f"{DESA_A},5"], 3, "Jumlah kolom 2, seharusnya 4"),
        ([HEADER, f"{DESA_A},4,Balai,1,2"], 2, "Jumlah kolom 5, seharusnya 4"),
        ([f"{DESA_A},4,,"], 1, "Baris judul tidak ditemukan"),
        (["kode,nomor_tps", f"{DESA_A},4"], 1, "Baris judul tidak ditemukan"),
        ([HEADER + ",catatan", f"{DESA_A},4,,,"], 1, "Kolom tidak dikenal"),
        (["kode_desa,nomor_tps,nomor_tps", f"{DESA_A},4,4"], 1, "muncul lebih dari sekali"),
        ([HEADER], 2, "tidak berisi baris TPS"),
    ],
)
def test_each_bad_line_is_reported_with_its_number_and_reason(app, lines, line, reason):
    data = _csv(*lines).replace(b"{desa_b}", _desa_b().encode())
    problems = _problems(data)
    assert len(problems) == 1, problems
    assert problems[0][0] == line
    assert reason in problems[0][1]


def test_every_bad_line_of_a_file_is_reported(app):
    data = _csv(
        HEADER,
        f"{DESA_A},4,Balai Desa,250",
        "99.99.99.9999,1,,",
        f"{DESA_A},x,,",
        f"{DESA_A},5,,-1",
        f"{DESA_A},6,,",
    )
    assert [line for line, _ in _problems(data)] == [3, 4, 5]


def test_an_empty_file_is_refused(app):
    for data in (b"", b"\n \n", b"\xef\xbb\xbf"):
        assert _problems(data) == [(None, "Berkas kosong.")]


def test_a_file_that_is_not_utf8_is_refused_at_its_first_bad_line(app):
    data = _csv(HEADER, f"{DESA_A},4,Balai Desa,250").replace(b"Balai", b"Bala\xef") + (
        "35.07.01.2002,1,Jl. Caf\u00e9,200\n".encode("latin-1")
    )
    problems = _problems(data)
    assert [line for line, _ in problems] == [2]
    assert "UTF-8" in problems[0][1]


def test_a_file_too_big_is_refused(app):
    data = _csv(HEADER) + b"x" * MAX_IMPORT_BYTES
    problems = _problems(data)
    assert len(problems) == 1 and "terlalu besar" in problems[0][1]


def test_utf8_bom_semicolons_dotted_and_plain_codes_are_accepted(app):
    data = "\ufeffkode_desa;nomor_tps;alamat\n35.07.01.2002;1;Balai Desa\n3507012002;2;SDN 1\n"
    report = read_tps_csv(data.encode(), _regency(REGENCY_A))
    assert report.problems == []
    assert [(row.desa.code, row.number, row.address) for row in report.rows] == [
        (DESA_A2, 1, "Balai Desa"),
        (DESA_A2, 2, "SDN 1"),
    ]


def test_columns_are_read_by_name_in_any_order(app):
    data = _csv(
        "jumlah_pemilih,nomor_tps,kode_desa,alamat",
        f"250,1,{DESA_NEW},  Balai Desa  ",
        f",2,{DESA_NEW},\u202eSDN 1\x00",  # bidirectional control and NUL dropped
    )
    report = read_tps_csv(data, _regency(REGENCY_A))
    assert report.problems == []
    assert [(row.number, row.address, row.voter_count) for row in report.rows] == [
        (1, "Balai Desa", 250),
        (2, "SDN 1", None),
    ]
    without_optional = read_tps_csv(_csv("nomor_tps,kode_desa", f"3,{DESA_NEW}"))
    assert [(row.number, row.address, row.voter_count) for row in without_optional.rows] == [
        (3, None, None)
    ]


def test_without_a_regency_any_desa_of_the_province_is_accepted(app):
    data = _csv(HEADER, f"{DESA_A},9,,", f"{_desa_b()},9,,")
    assert _problems(data, regency_code=None) == []


# --- writing -----------------------------------------------------------------


def test_nothing_is_imported_when_one_row_is_bad(app):
    before = _tps_count()
    data = _csv(HEADER, f"{DESA_A2},1,Balai Desa,250", f"{DESA_A2},2,SDN 1,260", f"{DESA_A2},0,,")
    report = read_tps_csv(data, _regency(REGENCY_A))
    assert report.rows == []
    with pytest.raises(ValueError, match="never imported"):
        apply_tps_import(report, _regency(REGENCY_A))
    assert _tps_count() == before


def test_existing_tps_are_updated_and_new_ones_inserted_in_one_audited_import(app):
    data = _csv(
        HEADER,
        f"{DESA_A},1,Balai Desa Tulungrejo,280",  # updates address and voters
        f"{DESA_A},2,,",  # empty cells keep what is stored
        f"{DESA_A},3,SDN Tulungrejo 1,",  # address only
        f"{DESA_A},4,Jl. Merdeka RT 001/RW 002,199",  # new
        f"{DESA_NEW},1,,",  # new, nothing known yet
    )
    regency = _regency(REGENCY_A)
    summary = apply_tps_import(read_tps_csv(data, regency), regency, source="tps.csv")
    db.session.commit()

    assert (summary.inserted, summary.updated, summary.unchanged) == (2, 2, 1)
    assert _stations(DESA_A) == [
        (1, "Balai Desa Tulungrejo", 280),
        (2, None, 252),
        (3, "SDN Tulungrejo 1", 253),
        (4, "Jl. Merdeka RT 001/RW 002", 199),
    ]
    assert _stations(DESA_NEW) == [(1, None, None)]
    entries = db.session.execute(select(AuditEntry).filter_by(action="tps_import")).scalars().all()
    assert len(entries) == 1
    assert entries[0].regency_id == regency.id
    assert entries[0].after == {
        "file": "tps.csv",
        "rows": 5,
        "inserted": 2,
        "updated": 2,
        "unchanged": 1,
    }


def test_imported_tps_carry_their_kecamatan_and_regency(app):
    regency = _regency(REGENCY_A)
    apply_tps_import(read_tps_csv(_csv(HEADER, f"{DESA_A_LAST},1,,"), regency), regency)
    db.session.commit()
    tps = db.session.execute(
        select(Tps).join(Tps.desa).where(Desa.code == DESA_A_LAST)
    ).scalar_one()
    assert tps.kecamatan_id == tps.desa.kecamatan_id
    assert tps.regency_id == regency.id


# --- the web page ------------------------------------------------------------


def _upload(client, data: bytes, headers=None, name="tps.csv"):
    return client.post(
        f"/r/{REGENCY_A}/tps/impor",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers=headers or {},
    )


@pytest.mark.parametrize("username", ["operator_a", "admin"])
def test_operator_or_admin_imports_and_sees_the_summary(login_as, username):
    client = login_as(username)
    page = client.get(f"/r/{REGENCY_A}/tps/impor")
    assert page.status_code == 200
    assert 'type="file"' in page.get_data(as_text=True)

    response = _upload(client, _csv(HEADER, f"{DESA_A},1,Balai Desa,270", f"{DESA_A},4,,"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/r/{REGENCY_A}/tps/impor")
    followed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 ditambahkan, 1 diperbarui, 0 tidak berubah" in followed
    assert _stations(DESA_A)[0] == (1, "Balai Desa", 270)


def test_htmx_import_answers_with_the_summary_fragment(login_as):
    response = _upload(login_as("operator_a"), _csv(HEADER, f"{DESA_NEW},1,,"), headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="tps-import"')
    assert re.search(r"<dt>Ditambahkan</dt><dd>1 TPS</dd>", body)


def test_a_bad_file_gets_422_with_the_table_of_bad_lines(login_as):
    before = _tps_count()
    data = _csv(HEADER, f"{DESA_A2},1,,", f"{DESA_A2},x,,", "35.07.01.2999,1,,")
    for headers in (None, HX):
        response = _upload(login_as("operator_a"), data, headers=headers)
        assert response.status_code == 422
        body = response.get_data(as_text=True)
        rows = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]+)</td></tr>', body)
        assert [line for line, _ in rows] == ["3", "4"]
        assert "Tidak ada TPS yang diimpor" in body
    assert _tps_count() == before


def test_the_form_without_a_file_says_so(login_as):
    response = login_as("operator_a").post(f"/r/{REGENCY_A}/tps/impor", data={})
    assert response.status_code == 422
    assert "Pilih berkas CSV." in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["anggota_a", "pemantau_a", "provinsi"])
def test_who_may_not_manage_the_regency_gets_403(login_as, username):
    client = login_as(username)
    assert client.get(f"/r/{REGENCY_A}/tps/impor").status_code == 403
    assert _upload(client, _csv(HEADER, f"{DESA_A2},1,,")).status_code == 403
    assert _tps_count() == 12


def test_another_regencys_operator_gets_404(login_as):
    assert login_as("operator_b").get(f"/r/{REGENCY_A}/tps/impor").status_code == 404


def test_the_page_refuses_desa_of_another_regency(login_as):
    data = _csv(HEADER, f"{_desa_b()},9,,")
    db.session.commit()
    response = _upload(login_as("operator_a"), data)
    assert response.status_code == 422
    assert "tidak termasuk Kabupaten Malang" in response.get_data(as_text=True)


# --- the command -------------------------------------------------------------


def test_import_command_prints_each_bad_line_and_fails(app, tmp_path: Path):
    path = tmp_path / "tps.csv"
    path.write_bytes(_csv(HEADER, f"{DESA_A2},1,,", f"{DESA_A2},0,,", f"{_desa_b()},1,,"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["tps", "import", str(path), "--regency", "3507"])
    assert result.exit_code == 1
    assert "Baris 3: Nomor TPS" in result.output
    assert "Baris 4: Desa/kelurahan" in result.output
    assert "tidak ada TPS yang diimpor" in result.output
    assert _tps_count() == 12


def test_import_command_imports_a_good_file(app, tmp_path: Path):
    path = tmp_path / "tps.csv"
    path.write_bytes(_csv(HEADER, f"{DESA_NEW},1,,", f"{_desa_b()},9,,"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["tps", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 ditambahkan" in result.output
    assert _tps_count() == 14


def test_import_command_refuses_an_unknown_regency(app, tmp_path: Path):
    path = tmp_path / "tps.csv"
    path.write_bytes(_csv(HEADER, f"{DESA_A2},1,,"))
    result = app.test_cli_runner().invoke(args=["tps", "import", str(path), "--regency", "3599"])
    assert result.exit_code == 2
    assert "3599" in result.output


# --- generation --------------------------------------------------------------


def _without_tps() -> None:
    db.session.execute(delete(Tps))
    db.session.commit()


def _generated(regency_code: str) -> list[tuple]:
    return [
        tuple(row)
        for row in db.session.execute(
            select(Desa.code, Tps.number, Tps.address, Tps.voter_count)
            .join(Tps.desa)
            .where(Desa.code.startswith(dotted_code(regency_code) + "."))
            .order_by(Desa.code, Tps.number)
        )
    ]


def test_generation_gives_the_province_exactly_120666_tps_once(app):
    _without_tps()
    assert generate_tps() == PROVINCE_TPS_TOTAL == 120_666
    db.session.commit()
    assert _tps_count() == 120_666
    per_desa = dict(
        db.session.execute(select(Tps.desa_id, func.count()).group_by(Tps.desa_id)).all()
    )
    assert len(per_desa) == 8494 and set(per_desa.values()) == {14, 15}
    mean, low, high = db.session.execute(
        select(func.avg(Tps.voter_count), func.min(Tps.voter_count), func.max(Tps.voter_count))
    ).one()
    assert 250 <= mean <= 270 and low >= 150 and high <= 300
    assert generate_tps() == 0  # idempotent
    entries = db.session.execute(select(AuditEntry).filter_by(action="tps_generate")).scalars()
    assert [entry.after for entry in entries] == [{"tps": 120_666, "desa": 8494, "seed": 2024}]


def test_generation_is_deterministic_for_a_seed_and_a_regency_gets_its_share(app):
    _without_tps()
    malang = _regency(REGENCY_A)
    added = generate_tps(malang, seed=7)
    first = _generated(REGENCY_A)
    assert added == len(first) and _generated(REGENCY_B) == []
    assert 14 * 390 <= added <= 15 * 390
    assert first[0][2] == "Balai Desa Tulungrejo"
    assert any(re.fullmatch(r"Jl\. .+ RT \d{3}/RW \d{3}", address) for _, _, address, _ in first)

    _without_tps()
    generate_tps(malang, seed=7)
    assert _generated(REGENCY_A) == first

    _without_tps()
    generate_tps(malang, seed=8)
    assert _generated(REGENCY_A) != first

    _without_tps()
    generate_tps(seed=7)  # the whole province gives Malang the same TPS
    assert _generated(REGENCY_A) == first


def test_generation_fills_only_desa_without_tps(app):
    regency = _regency(REGENCY_A)
    kept = _stations(DESA_A)
    added = generate_tps(regency)
    db.session.commit()
    assert _stations(DESA_A) == kept  # the world's TPS 1-3 stay as they were
    assert len(_stations(DESA_A2)) == 3  # the second desa already had TPS too
    assert _tps_count() == 12 + added
    assert generate_tps(regency) == 0


def test_generate_command(app):
    _without_tps()
    result = app.test_cli_runner().invoke(args=["tps", "generate", "--regency", "3578"])
    assert result.exit_code == 0, result.output
    added = _tps_count()
    assert f"Ditambahkan {added} TPS" in result.output
    assert _generated(REGENCY_B) and _generated(REGENCY_A) == []
