"""The province's DIM view: every regency's counts by stage and status, with
drill-down into each regency's filtered list; for admin and provinsi only."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import event, select

from phpnet.plugin_api import Regency, db
from phpnet.testing import HX, REGENCY_A, REGENCY_B, enable_plugin
from plugins.inventory.models import Level, Stage, Status
from plugins.inventory.tests.list_helpers import make_entries, make_entry

PROVINCE = "/provinsi/inventory/"
SIDOARJO = "3515"


def regency_row(page: str, name: str) -> str:
    """The table row of the regency called ``name``."""
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", page, re.S)
    return next(row for row in rows if re.search(rf">\s*{re.escape(name)}\s*<", row))


def cells(row: str) -> list[str]:
    """The numbers of a row: total, then per stage, then per status."""
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]


@pytest.fixture
def counted(app: Any, regency: Any) -> dict[str, Regency]:
    malang, surabaya, sidoarjo = regency(REGENCY_A), regency(REGENCY_B), regency(SIDOARJO)
    make_entries(malang, 3)
    make_entry(malang, stage=Stage.PENGHITUNGAN, status=Status.DISPUTE_LIKELY)
    make_entry(malang, status=Status.RESOLVED, deleted_at=datetime(2024, 2, 20))  # not counted
    make_entries(surabaya, 2, stage=Stage.REKAP_KABKOTA, status=Status.RESOLVED)
    make_entry(sidoarjo, level=Level.KABKOTA)
    enable_plugin(sidoarjo, "inventory", False)
    return {"malang": malang, "surabaya": surabaya, "sidoarjo": sidoarjo}


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("admin", 200),
        ("provinsi", 200),
        ("operator_a", 403),
        ("anggota_a", 403),
        ("pemantau_a", 403),
        ("operator_b", 403),
    ],
)
def test_province_view_is_for_admin_and_provinsi(login_as, counted, username, status):
    for headers in ({}, HX):
        assert login_as(username).get(PROVINCE, headers=headers).status_code == status


def test_anonymous_users_are_sent_to_log_in(client, counted):
    assert client.get(PROVINCE).status_code == 302


def test_every_regency_with_its_counts(login_as, counted):
    page = login_as("provinsi").get(PROVINCE).get_data(as_text=True)
    assert len(re.findall(r'<th scope="row">', page)) == 38 + 1  # and the province total
    # total | pemungutan, penghitungan, rekap kec, rekap kab | belum, selesai, sengketa
    malang = cells(regency_row(page, counted["malang"].name))
    assert malang == ["4", "3", "1", "0", "0", "3", "0", "1"]
    surabaya = cells(regency_row(page, counted["surabaya"].name))
    assert surabaya == ["2", "0", "0", "0", "2", "0", "2", "0"]
    tfoot = re.search(r"<tfoot>.*?</tfoot>", page, re.S).group(0)
    assert cells(tfoot) == ["7", "4", "1", "0", "2", "4", "2", "1"]


def test_counts_drill_down_into_the_filtered_list(login_as, counted):
    client = login_as("provinsi")
    page = client.get(PROVINCE).get_data(as_text=True)
    malang = regency_row(page, counted["malang"].name)
    assert f'href="/r/{REGENCY_A}/inventory/"' in malang
    assert f'href="/r/{REGENCY_A}/inventory/?stage=penghitungan"' in malang
    assert f'href="/r/{REGENCY_A}/inventory/?status=berpotensi_sengketa"' in malang
    assert "?stage=rekap_kecamatan" not in malang  # no link to an empty list
    followed = client.get(f"/r/{REGENCY_A}/inventory/?status=berpotensi_sengketa")
    assert followed.status_code == 200
    assert len(re.findall(r'<tr id="entry-', followed.get_data(as_text=True))) == 1


def test_a_regency_without_the_module_is_marked_and_not_linked(login_as, counted):
    page = login_as("admin").get(PROVINCE).get_data(as_text=True)
    sidoarjo = regency_row(page, counted["sidoarjo"].name)
    assert "modul tidak aktif" in sidoarjo
    assert "href" not in sidoarjo
    assert cells(sidoarjo)[0] == "1"  # its records are kept and counted


def test_the_main_menu_links_to_it_for_province_roles_only(login_as, counted):
    for username, shown in (("provinsi", True), ("admin", True), ("operator_a", False)):
        home = login_as(username).get("/").get_data(as_text=True)
        assert (f'href="{PROVINCE}"' in home) is shown


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


def test_one_grouped_query_whatever_the_number_of_regencies(login_as, counted):
    client = login_as("provinsi")
    with counted_statements() as few:
        client.get(PROVINCE)
    for other in db.session.execute(select(Regency).limit(20)).scalars():
        make_entries(other, 5, level=Level.KABKOTA)
    db.session.commit()
    with counted_statements() as many:
        client.get(PROVINCE)
    assert len(many) == len(few)
    assert len([s for s in many if "FROM inventory_entry" in s]) == 1
