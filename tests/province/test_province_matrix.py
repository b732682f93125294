"""The readiness matrix at /provinsi/kesiapan: 38 regencies by check, each
cell as its check judged it (checked against direct queries), "tidak
diaktifkan" where the module is off, a score per regency, sorting, filtering,
htmx fragments, and a number of queries that does not grow with regencies."""

import re
from datetime import date

import pytest

from phpnet.extensions import db
from phpnet.province.readiness import active_regencies, build_matrix
from phpnet.teams.models import Team
from phpnet.testing import HX, REGENCY_A, REGENCY_B
from tests.province.conftest import counted_queries

MATRIX = "/provinsi/kesiapan"
SIDOARJO = "3515"


def rows(page: str) -> list[str]:
    return re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", page, re.S)


def row_of(page: str, name: str) -> str:
    return next(row for row in rows(page) if f">{name}</a>" in row)


def siaga_cells(row: str) -> list[str]:
    """The visible status of the siaga columns (the last two)."""
    cells = re.findall(r'<td class="readiness-cell cell-(\w+)">', row)
    return cells[-2:]


@pytest.fixture
def world(app, regency, enable_siaga):
    """Siaga on in Malang (6 TPS, a decree), Surabaya (6 TPS) and Sidoarjo
    (no TPS); off everywhere else."""
    enable_siaga(REGENCY_A, REGENCY_B, SIDOARJO)
    malang = regency(REGENCY_A)
    db.session.add(Team(regency_id=malang.id, sk_number="1/2024", sk_date=date(2024, 3, 1),
                        signed_by="Ketua"))  # fmt: skip
    db.session.commit()


@pytest.mark.parametrize(("who", "status"), [("admin", 200), ("provinsi", 200),
                                             ("operator_a", 403), ("pemantau_b", 403)])  # fmt: skip
def test_only_province_roles_see_the_matrix(login_as, who, status):
    assert login_as(who).get(MATRIX).status_code == status


def test_anonymous_users_are_sent_to_log_in(client):
    assert client.get(MATRIX).status_code == 302


def test_every_regency_with_each_check_as_judged(login_as, world, regency):
    page = login_as("provinsi").get(MATRIX).text
    assert len(rows(page)) == 38
    assert "TPS siaga" in page and "SK siaga" in page and ">Siaga</th>" in page
    malang, surabaya = regency(REGENCY_A).name, regency(REGENCY_B).name
    assert siaga_cells(row_of(page, malang)) == ["ok", "ok"]
    assert siaga_cells(row_of(page, surabaya)) == ["ok", "fail"]
    assert siaga_cells(row_of(page, regency(SIDOARJO).name)) == ["fail", "fail"]
    pacitan = row_of(page, regency("3501").name)
    assert pacitan.count("tidak diaktifkan") >= 2  # siaga is off there, not failed
    assert "Belum ada TPS siaga." in row_of(page, regency(SIDOARJO).name)


def test_a_failing_cell_links_to_the_fix_page_inside_the_regency(login_as, world, regency):
    page = login_as("provinsi").get(MATRIX).text
    sidoarjo = row_of(page, regency(SIDOARJO).name)
    assert f'href="/r/{SIDOARJO}/tim/"' in sidoarjo  # SK siaga -> teams.index
    assert f'href="/r/{SIDOARJO}/tps/impor"' in sidoarjo  # TPS siaga -> regions.tps_import
    assert "/tps/impor" not in row_of(page, "Kabupaten Malang")  # ok cells offer no fix
    fix = re.search(rf'href="(/r/{SIDOARJO}/tim/)"', sidoarjo).group(1)
    assert login_as("provinsi").get(fix).status_code == 200


def test_score_counts_ok_as_one_warn_as_half_and_leaves_out_modules_that_are_off(app, world):
    with app.test_request_context():
        matrix = build_matrix(active_regencies())
    for row in matrix.rows:
        applicable = [c for c in row.cells if c.status != "off"]
        points = sum({"ok": 1, "warn": 0.5, "fail": 0}[c.status] for c in applicable)
        assert row.score == round(100 * points / len(applicable), 1)
        siaga = [c for col, c in zip(matrix.columns, row.cells, strict=True)
                 if col.plugin == "siaga"]  # fmt: skip
        if row.regency.code not in ("35.07", "35.78", "35.15"):
            assert {c.status for c in siaga} == {"off"}


def test_sort_by_worst_puts_the_lowest_score_first(login_as, world, app):
    page = login_as("provinsi").get(MATRIX, query_string={"urut": "terburuk"}).text
    scores = [float(s.replace(",", ".")) for s in re.findall(r'class="num score">([\d,]+)%', page)]
    assert len(scores) == 38 and scores == sorted(scores)
    by_name = login_as("provinsi").get(MATRIX, query_string={"urut": "nama"}).text
    names = re.findall(r'<th scope="row"><a [^>]+>([^<]+)</a>', by_name)
    assert names == sorted(names)


def test_filter_by_regency_and_htmx_gets_only_the_matrix(login_as, world, regency):
    client = login_as("provinsi")
    page = client.get(MATRIX, query_string={"kabkota": REGENCY_A}, headers=HX).text
    assert "<html" not in page and 'id="matrix"' in page
    assert len(rows(page)) == 1 and regency(REGENCY_A).name in page


@pytest.mark.parametrize("args", [{"kabkota": "9999"}, {"urut": "acak"}, {"kabkota": "<b>"}])
def test_unknown_filter_values_are_ignored_and_named(login_as, world, args):
    response = login_as("provinsi").get(MATRIX, query_string=args)
    assert response.status_code == 200 and len(rows(response.text)) == 38
    assert "tidak dikenal" in response.text and "<b>" not in response.text


def test_queries_do_not_grow_with_regencies(login_as, world, enable_siaga):
    client = login_as("provinsi")
    client.get(MATRIX)  # warm caches of the session and of the worker
    with counted_queries() as one:
        client.get(MATRIX, query_string={"kabkota": REGENCY_A})
    with counted_queries() as all_38:
        client.get(MATRIX)
    enable_siaga("3501", "3502", "3503", "3504", "3505", "3506")
    client.get(MATRIX)
    with counted_queries() as more_enabled:
        client.get(MATRIX)
    assert len(one) == len(all_38) == len(more_enabled)
    assert len(all_38) < 30


@pytest.mark.parametrize("who, shown", [("provinsi", True), ("admin", True), ("operator_a", False)])
def test_the_main_menu_links_to_the_province_pages_for_province_roles(login_as, who, shown):
    home = login_as(who).get("/").text
    assert ('href="/provinsi/"' in home and 'href="/provinsi/kesiapan"' in home) is shown
