"""The lists (filters in the URL, htmx partials, constant cost), the regency's
overdue follow-ups, coverage as a table and a grid, the dashboard card, the
XLSX and print reports, and the hooks the province and core ask."""

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, func, select

from phpnet.plugin_api import Kecamatan, Regency, db
from phpnet.testing import HX, HX_HISTORY_RESTORE, REGENCY_A, REGENCY_B
from plugins.supervision import coverage, summary
from plugins.supervision.models import FollowUpStatus, Kind
from plugins.supervision.tests import helpers
from plugins.supervision.tests.helpers import TODAY

BASE = f"/r/{REGENCY_A}/supervision"


@pytest.fixture
def malang(regency):
    return regency(REGENCY_A)


@pytest.fixture
def world(malang, today):
    """Three activities of Kab. Malang and one of Kota Surabaya."""
    kecamatan = helpers.world_kecamatan(malang)
    other = (
        db.session.execute(
            select(Kecamatan)
            .where(Kecamatan.regency_id == malang.id, Kecamatan.id != kecamatan.id)
            .order_by(Kecamatan.name)
        )
        .scalars()
        .first()
    )
    siti, budi = helpers.team(malang, "Siti Rahmawati", "Budi Santoso")
    desa = helpers.desa_of(kecamatan, 2)
    supervisi = helpers.activity(
        malang, kecamatan, pps=desa, members=[siti], purpose="Supervisi PPK pertama",
        started_on=TODAY - timedelta(days=3),
    )  # fmt: skip
    late = helpers.follow_up(supervisi, TODAY - timedelta(days=1), owner_id=siti.id)
    advokasi = helpers.activity(
        malang, other, kind=Kind.ADVOKASI, members=[budi], purpose="Advokasi hukum PPK kedua",
        started_on=TODAY - timedelta(days=40),
    )  # fmt: skip
    helpers.follow_up(
        advokasi, TODAY - timedelta(days=30), status=FollowUpStatus.DONE, done_on=TODAY,
        owner_id=budi.id, action="Kirim surat pernyataan",
    )  # fmt: skip
    quiet = helpers.activity(
        malang, kecamatan, ppk=False, pps=desa[:1], kind=Kind.PENDAMPINGAN,
        purpose="Pendampingan saksi PPS", started_on=TODAY,
    )  # fmt: skip
    helpers.follow_up(quiet, TODAY + timedelta(days=5), action="Siapkan saksi")
    surabaya = helpers.activity(
        db.session.execute(select(Regency).filter_by(code="35.78")).scalar_one(),
        purpose="Kegiatan Surabaya",
    )
    db.session.commit()
    return {
        "supervisi": supervisi, "advokasi": advokasi, "quiet": quiet, "surabaya": surabaya,
        "kecamatan": kecamatan, "other": other, "siti": siti, "budi": budi, "late": late,
    }  # fmt: skip


def listed(response) -> list[int]:
    return [int(i) for i in re.findall(r'href="/r/\d+/supervision/(\d+)"', response.text)]


# --- The list of activities ---------------------------------------------------------------


def test_the_list_shows_its_regency_newest_first(login_as, world):
    response = login_as("pemantau_a").get(f"{BASE}/")
    assert response.status_code == 200
    assert listed(response) == [world["quiet"].id, world["supervisi"].id, world["advokasi"].id]
    assert "Kegiatan Surabaya" not in response.text and "Catat kegiatan" not in response.text
    assert "Catat kegiatan" in login_as("anggota_a").get(f"{BASE}/").text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"kind": "advokasi"}, ["advokasi"]),
        ({"level": "ppk"}, ["supervisi", "advokasi"]),
        ({"level": "pps"}, ["quiet", "supervisi"]),
        ({"kecamatan_id": "OTHER"}, ["advokasi"]),
        ({"status": "terlambat"}, ["supervisi"]),
        ({"status": "terbuka"}, ["quiet", "supervisi"]),
        ({"status": "selesai"}, ["advokasi"]),
        ({"date_from": "2024-03-08"}, ["quiet", "supervisi"]),
        ({"date_from": "2024-03-09"}, ["quiet"]),
        ({"date_to": "2024-02-01"}, ["advokasi"]),
        ({"member_id": "BUDI"}, ["advokasi"]),
        ({"level": "ppk", "status": "terbuka"}, ["supervisi"]),
    ],
)
def test_each_filter(login_as, world, args, expected):
    ids = {"OTHER": str(world["other"].id), "BUDI": str(world["budi"].id)}
    query = {key: ids.get(value, value) for key, value in args.items()}
    response = login_as("operator_a").get(f"{BASE}/", query_string=query)
    assert listed(response) == [world[name].id for name in expected]


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ({"kind": "rapat"}, "Jenis kegiatan: “rapat” tidak dikenal."),
        ({"kecamatan_id": "99999999999"}, "Kecamatan: “99999999999” tidak dikenal."),
        ({"date_from": "kemarin"}, "Tanggal dari: Tanggal tidak sah"),
        (
            {"date_from": "2024-03-10", "date_to": "2024-03-01"},
            "Tanggal akhir sebelum tanggal awal",
        ),
    ],
)
def test_bad_filters_are_named_not_fatal(login_as, world, args, problem):
    response = login_as("operator_a").get(f"{BASE}/", query_string=args)
    assert response.status_code == 200 and problem in response.text


def test_htmx_gets_the_results_and_history_the_page(login_as, world):
    client = login_as("operator_a")
    partial = client.get(f"{BASE}/", query_string={"kind": "advokasi"}, headers=HX)
    assert 'id="sv-results"' in partial.text and "<html" not in partial.text
    assert listed(partial) == [world["advokasi"].id]
    whole = client.get(f"{BASE}/", query_string={"kind": "advokasi"}, headers=HX_HISTORY_RESTORE)
    assert "<html" in whole.text


def test_the_list_is_paged_and_keeps_its_filters(login_as, malang, world):
    for day in range(30):
        helpers.activity(malang, started_on=date(2024, 1, 1) + timedelta(days=day))
    db.session.commit()
    client = login_as("operator_a")
    first = client.get(f"{BASE}/", query_string={"level": "ppk"})
    assert "Menampilkan 1–25 dari 32 kegiatan." in first.text
    assert 'href="/r/3507/supervision/?level=ppk&amp;page=2"' in first.text
    second = client.get(f"{BASE}/", query_string={"level": "ppk", "page": "2"})
    assert "Menampilkan 26–32 dari 32 kegiatan." in second.text
    assert not set(listed(first)) & set(listed(second))


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_the_list_costs_the_same_queries_for_3_or_25_activities(login_as, malang, world):
    client = login_as("operator_a")
    with counted_statements() as few:
        assert len(listed(client.get(f"{BASE}/"))) == 3
    kecamatan = world["kecamatan"]
    for _ in range(22):
        made = helpers.activity(
            malang, kecamatan, pps=helpers.desa_of(kecamatan, 2), members=[world["siti"]]
        )
        helpers.finding(made)
        helpers.follow_up(made, TODAY)
    db.session.commit()
    with counted_statements() as many:
        assert len(listed(client.get(f"{BASE}/"))) == 25
    assert len(many) == len(few)


# --- Follow-ups ---------------------------------------------------------------------------


def test_the_overdue_list_of_the_regency(login_as, world, today):
    client = login_as("pemantau_a")
    response = client.get(f"{BASE}/tindak-lanjut", query_string={"status": "terlambat"})
    assert "Tindak lanjut terlambat" in response.text
    rows = re.findall(r'<tr class="sv-state-(\w+)">', response.text)
    assert rows == ["terlambat"]
    assert "Serahkan salinan C.Hasil" in response.text and "Siapkan saksi" not in response.text
    today.move(6)  # the quiet activity's follow-up is due in 5 days
    later = client.get(f"{BASE}/tindak-lanjut", query_string={"status": "terlambat"})
    assert re.findall(r'<tr class="sv-state-(\w+)">', later.text) == ["terlambat", "terlambat"]


def test_all_follow_ups_open_first_then_done(login_as, world):
    response = login_as("operator_a").get(f"{BASE}/tindak-lanjut")
    assert re.findall(r'<tr class="sv-state-(\w+)">', response.text) == [
        "terlambat", "terbuka", "selesai",
    ]  # fmt: skip
    owned = login_as("operator_a").get(
        f"{BASE}/tindak-lanjut", query_string={"owner_id": world["budi"].id}, headers=HX
    )
    assert "Kirim surat pernyataan" in owned.text and "Siapkan saksi" not in owned.text
    assert "<html" not in owned.text


# --- Coverage -----------------------------------------------------------------------------


def test_coverage_per_kecamatan(world, malang):
    found = {k.id: k for k in coverage.regency_coverage(malang.id).kecamatan}
    reached = found[world["kecamatan"].id]
    assert reached.ppk_kinds == {Kind.SUPERVISI}
    assert reached.pps_reached == 2 and reached.pps_kinds == {Kind.SUPERVISI, Kind.PENDAMPINGAN}
    assert found[world["other"].id].ppk_kinds == {Kind.ADVOKASI}
    assert found[world["other"].id].pps_reached == 0
    untouched = [k for k in found.values() if k.state == "none"]
    assert len(untouched) == len(found) - 2


def test_coverage_page_shows_the_grid_and_the_uncovered(login_as, world, malang):
    response = login_as("pemantau_a").get(f"{BASE}/cakupan")
    assert response.status_code == 200
    total = db.session.execute(
        select(func.count(Kecamatan.id)).where(Kecamatan.regency_id == malang.id)
    ).scalar_one()
    assert response.text.count('class="sv-tile ') == total
    assert response.text.count("sv-tile-none") == total - 2
    assert "Belum dijangkau" in response.text  # in words, not colour alone
    assert f"<strong>2 / {total}</strong> PPK (kecamatan) sudah dijangkau" in response.text


def test_coverage_of_one_kecamatan_lists_its_desa(login_as, world):
    kecamatan = world["kecamatan"]
    response = login_as("pemantau_a").get(
        f"{BASE}/cakupan", query_string={"kecamatan": kecamatan.id}, headers=HX
    )
    assert 'id="sv-desa"' in response.text and "<html" not in response.text
    assert f"Desa/kelurahan di Kecamatan {kecamatan.name}" in response.text
    assert "Supervisi, Pendampingan" in response.text


# --- The dashboard card -------------------------------------------------------------------


def test_the_card_counts_this_month_overdue_and_coverage(login_as, world, today):
    client = login_as("pemantau_a")
    card = client.get(f"{BASE}/kartu", headers=HX)
    assert card.status_code == 200 and "<html" not in card.text
    assert re.search(r'id="sv-card-month">2<', card.text)  # 8 and 11 March; not February's
    assert re.search(
        r'id="sv-card-overdue"><strong><span aria-hidden="true">⚠ </span>1<', card.text
    )
    assert "Serahkan salinan C.Hasil" in card.text
    today.move(6)
    later = client.get(f"{BASE}/kartu", headers=HX).text
    assert re.search(r'id="sv-card-overdue"><strong><span aria-hidden="true">⚠ </span>2<', later)
    dashboard = client.get(f"/r/{REGENCY_A}/").text
    assert f'hx-get="{BASE}/kartu"' in dashboard


# --- Exports and print --------------------------------------------------------------------


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))


def test_activities_export_as_the_filtered_report(login_as, world):
    rows = _sheet(login_as("pemantau_a").get(f"{BASE}/ekspor.xlsx", query_string={"level": "ppk"}))
    assert rows[0][0].startswith("Laporan Kegiatan Supervisi dan Pendampingan — Kabupaten Malang")
    assert "Lembaga: PPK (kecamatan)" in rows[1][0]
    assert rows[3][:2] == ("No", "Jenis kegiatan")
    purposes = [row[6] for row in rows[4:]]
    assert purposes == ["Supervisi PPK pertama", "Advokasi hukum PPK kedua"]
    assert "Terlambat" in rows[4][9]


def test_no_cell_becomes_a_formula(login_as, malang, today):
    helpers.activity(malang, purpose='=HYPERLINK("http://x")')
    db.session.commit()
    response = login_as("operator_a").get(f"{BASE}/ekspor.xlsx")
    rows = _sheet(response)
    assert rows[4][6] == '=HYPERLINK("http://x")'
    assert b"<f>" not in response.data  # stored as text, never a formula


def test_follow_ups_export_and_print(login_as, world):
    client = login_as("pemantau_a")
    rows = _sheet(
        client.get(f"{BASE}/tindak-lanjut/ekspor.xlsx", query_string={"status": "terlambat"})
    )
    assert [row[3] for row in rows[4:]] == ["Serahkan salinan C.Hasil"]
    assert rows[4][7] == "Terlambat"
    printed = client.get(f"{BASE}/tindak-lanjut/cetak").text
    assert "KOMISI PEMILIHAN UMUM KABUPATEN MALANG" in printed
    assert "LAPORAN TINDAK LANJUT SUPERVISI DAN PENDAMPINGAN" in printed
    assert "Siti Rahmawati" in printed  # the chair signs


def test_print_report_of_the_list_and_of_one_activity(login_as, world):
    client = login_as("pemantau_a")
    report = client.get(f"{BASE}/cetak", query_string={"kind": "supervisi"}).text
    assert "LAPORAN KEGIATAN SUPERVISI DAN PENDAMPINGAN" in report
    assert "Supervisi PPK pertama" in report and "Advokasi hukum" not in report
    single = client.get(f"{BASE}/{world['advokasi'].id}/cetak").text
    assert "LAPORAN KEGIATAN ADVOKASI" in single and "Kirim surat pernyataan" in single


def test_core_csv_exports(login_as, world):
    client = login_as("operator_a")
    activities = client.get(f"/r/{REGENCY_A}/ekspor/supervision/kegiatan")
    assert activities.status_code == 200 and "Supervisi PPK pertama" in activities.text
    follow_ups = client.get(f"/r/{REGENCY_A}/ekspor/supervision/tindak_lanjut").text
    assert "Serahkan salinan C.Hasil" in follow_ups and "Terlambat" in follow_ups


def test_search_finds_activities_by_purpose_finding_and_kecamatan(login_as, world):
    helpers.finding(world["advokasi"], "Kotak suara rusak")
    db.session.commit()
    client = login_as("pemantau_a")
    assert "Advokasi hukum PPK kedua" in client.get(f"/r/{REGENCY_A}/cari?q=kotak+suara").text
    assert "Supervisi PPK pertama" in client.get(f"/r/{REGENCY_A}/cari?q=pertama").text
    other = world["other"].name
    assert (
        "Advokasi hukum PPK kedua"
        in client.get(f"/r/{REGENCY_A}/cari", query_string={"q": other}).text
    )
    assert "Kegiatan Surabaya" not in client.get(f"/r/{REGENCY_A}/cari?q=Kegiatan").text


# --- What the province asks ---------------------------------------------------------------


def _regencies(*codes: str) -> list[Regency]:
    return [
        db.session.execute(select(Regency).filter_by(code=f"{c[:2]}.{c[2:]}")).scalar_one()
        for c in codes
    ]


@contextmanager
def at_most(queries: int) -> Iterator[None]:
    """At most ``queries`` SELECTs, whatever the number of regencies."""
    with counted_statements() as statements:
        yield
    selects = [s for s in statements if s.startswith("SELECT")]
    assert len(selects) <= queries, selects


def test_ppk_check_fails_warns_and_passes_in_one_call(app, today):
    malang, surabaya, kediri = _regencies("3507", "3578", "3506")
    for kecamatan in db.session.execute(
        select(Kecamatan).where(Kecamatan.regency_id == surabaya.id)
    ).scalars():
        helpers.activity(surabaya, kecamatan)
    helpers.activity(malang)
    db.session.commit()
    for loaded in (malang, surabaya, kediri):
        db.session.refresh(loaded)  # loaded before counting: the checks' queries only
    with at_most(2):
        results = summary.check_ppk_reached([malang, surabaya, kediri])
    assert results[surabaya.id].status == "ok"
    assert results[malang.id].status == "warn" and "PPK 1 dari" in results[malang.id].detail
    assert results[kediri.id].status == "fail"
    assert results[kediri.id].fix_endpoint == "supervision.coverage"


def test_overdue_check_in_one_call(app, today):
    malang, surabaya = _regencies("3507", "3578")
    helpers.follow_up(helpers.activity(malang), TODAY - timedelta(days=1))
    helpers.follow_up(helpers.activity(surabaya), TODAY)
    db.session.commit()
    for loaded in (malang, surabaya):
        db.session.refresh(loaded)
    with at_most(1):
        results = summary.check_no_overdue([malang, surabaya])
    assert results[malang.id].status == "fail" and "1 tindak lanjut" in results[malang.id].detail
    assert results[surabaya.id].status == "ok"
    today.move(1)
    assert summary.check_no_overdue([surabaya])[surabaya.id].status == "fail"


def test_readiness_page_shows_both_checks(login_as, world):
    page = login_as("operator_a").get(f"/r/{REGENCY_A}/kesiapan").text
    assert "PPK setiap kecamatan sudah disupervisi atau didampingi" in page
    assert "Tidak ada tindak lanjut supervisi yang terlambat" in page
    assert "1 tindak lanjut supervisi melewati tenggat." in page


def test_province_figures_give_ppk_and_pps_coverage_in_percent(app, world):
    malang, surabaya = _regencies("3507", "3578")
    with at_most(4):
        (figure,) = summary.province_figures([malang, surabaya])
    assert figure.categories == [malang.name, surabaya.name] and figure.unit == "%"
    ppk, pps = figure.series
    kecamatan = db.session.execute(
        select(func.count(Kecamatan.id)).where(Kecamatan.regency_id == malang.id)
    ).scalar_one()
    assert ppk.values[0] == round(100 * 2 / kecamatan, 1) and pps.values[0] > 0
    assert ppk.values[1] > 0 and pps.values[1] == 0


def test_weekly_activity_by_monday(app, world):
    malang, surabaya = _regencies("3507", "3578")
    monday = TODAY - timedelta(days=7)
    (weekly,) = summary.weekly_activity([malang, surabaya], monday, TODAY + timedelta(days=6))
    assert weekly.counts == {
        (malang.id, monday): 1,  # Friday 8 March
        (malang.id, TODAY): 1,  # Monday 11 March
        (surabaya.id, TODAY): 1,
    }


def test_other_regencies_see_none_of_it(login_as, world):
    client = login_as("operator_b")
    assert client.get(f"{BASE}/").status_code == 404
    own = client.get(f"/r/{REGENCY_B}/supervision/").text
    assert "Kegiatan Surabaya" not in own  # purposes are not on the list...
    assert listed(client.get(f"/r/{REGENCY_B}/supervision/")) == [world["surabaya"].id]
