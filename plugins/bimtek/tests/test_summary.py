"""Figures across sessions: readiness checks for many regencies in one call
(each outcome, a fixed number of queries), province coverage figures, weekly
activity, search and the core CSV exports."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import event, select

from phpnet.plugin_api import Kecamatan, db, set_plugin_settings
from phpnet.testing import REGENCY_A, REGENCY_B
from plugins.bimtek import summary
from plugins.bimtek.models import Level, SessionStatus
from plugins.bimtek.tests.helpers import add_people, make_session, regency_of, world_of

SIDOARJO = "3515"


@contextmanager
def counted(regencies: list[Any]) -> Iterator[list[str]]:
    """The statements run inside the block; the regencies' own rows (expired
    by the last commit) are loaded before it."""
    _ = [r.name for r in regencies]
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def every_kecamatan(regency_id: int) -> list[int]:
    return list(db.session.execute(select(Kecamatan.id).filter_by(regency_id=regency_id)).scalars())


@pytest.fixture
def three(app: Any) -> dict[str, Any]:
    """Malang: PPK of one kecamatan reached, 2 of 4 attended (50%).
    Surabaya: PPK of every kecamatan reached, all attended (100%).
    Sidoarjo: nothing held; a planned session only."""
    malang, surabaya = world_of(REGENCY_A), world_of(REGENCY_B)
    held = make_session(malang.regency_id, status=SessionStatus.HELD)
    add_people(held, malang.regency_id, Level.PPK, malang.kecamatan_id, 4, attended=2)
    theirs = make_session(surabaya.regency_id, status=SessionStatus.HELD,
                          starts_at=datetime(2024, 1, 24, 9, 0))  # fmt: skip
    for kecamatan_id in every_kecamatan(surabaya.regency_id):
        add_people(theirs, surabaya.regency_id, Level.PPK, kecamatan_id, 1, attended=1)
    sidoarjo = regency_of(SIDOARJO)
    make_session(sidoarjo.id, status=SessionStatus.PLANNED)
    regencies = [regency_of(REGENCY_A), regency_of(REGENCY_B), sidoarjo]
    db.session.commit()
    return {"regencies": regencies, "malang": malang, "surabaya": surabaya}


def test_every_ppk_check_judges_many_regencies_in_two_queries(three):
    malang, surabaya, sidoarjo = three["regencies"]
    with counted(three["regencies"]) as statements:
        results = summary.check_every_ppk(three["regencies"])
    assert len(statements) == 2
    assert results[surabaya.id].status == "ok"
    assert results[malang.id].status == "warn"
    total = len(every_kecamatan(malang.id))
    assert results[malang.id].detail == f"PPK di 1 dari {total} kecamatan sudah mengikuti bimtek."
    assert results[malang.id].fix_endpoint == "bimtek.coverage"
    assert results[sidoarjo.id].status == "fail"


def test_attendance_check_compares_with_each_regencys_threshold(three):
    malang, surabaya, sidoarjo = three["regencies"]
    set_plugin_settings(surabaya, "bimtek", {"attendance_threshold": 100})
    db.session.commit()
    with counted(three["regencies"]) as statements:
        results = summary.check_attendance(three["regencies"])
    assert len(statements) == 2
    assert (results[malang.id].status, results[malang.id].detail) == (
        "fail", "Kehadiran 50,0%, di bawah ambang 75%.",
    )  # fmt: skip
    assert (results[surabaya.id].status, results[surabaya.id].detail) == (
        "ok", "Kehadiran 100,0% (ambang 100%).",
    )  # fmt: skip
    assert results[sidoarjo.id].status == "warn"
    set_plugin_settings(malang, "bimtek", {"attendance_threshold": 50})
    db.session.commit()
    assert summary.check_attendance([malang])[malang.id].status == "ok"


def test_the_readiness_page_shows_the_checks(login_as, three):
    page = login_as("operator_a").get(f"/r/{REGENCY_A}/kesiapan").get_data(as_text=True)
    assert "Bimtek untuk setiap PPK" in page and "Kehadiran 50,0%, di bawah ambang 75%." in page


def test_province_figures_give_coverage_per_regency_in_percent(three):
    malang, _surabaya, _sidoarjo = three["regencies"]
    with counted(three["regencies"]) as statements:
        (figure,) = summary.province_figures(three["regencies"])
    assert len(statements) == 4
    assert figure.unit == "%" and list(figure.categories) == [r.name for r in three["regencies"]]
    ppk, pps, kpps = figure.series
    assert [s.label for s in figure.series] == ["PPK", "PPS", "KPPS"]
    assert ppk.values[1] == 100.0 and ppk.values[2] == 0.0
    assert ppk.values[0] == round(100 / len(every_kecamatan(malang.id)), 1)
    assert pps.values == [0.0, 0.0, 0.0] and kpps.values == [0.0, 0.0, 0.0]


def test_weekly_activity_counts_held_sessions_per_regency_and_week(three):
    malang, surabaya, _sidoarjo = three["regencies"]
    make_session(malang.id, status=SessionStatus.HELD, starts_at=datetime(2024, 1, 21, 9, 0))
    make_session(malang.id, status=SessionStatus.CANCELLED, starts_at=datetime(2024, 1, 19, 9, 0))
    make_session(malang.id, status=SessionStatus.HELD, starts_at=datetime(2024, 3, 1, 9, 0))
    activity = summary.weekly_activity(three["regencies"], date(2024, 1, 15), date(2024, 1, 22))
    assert activity.label == "Bimtek terlaksana"
    assert dict(activity.counts) == {
        (malang.id, date(2024, 1, 15)): 2,  # Saturday 20 and Sunday 21 January
        (surabaya.id, date(2024, 1, 22)): 1,
    }


def test_search_finds_sessions_and_participants_of_the_regency_only(app, login_as, three):
    page = login_as("operator_a").get(f"/r/{REGENCY_A}/cari", query_string={"q": "peserta"})
    body = page.get_data(as_text=True)
    assert "Peserta 1" in body and "Peserta bimtek" in body
    with app.test_request_context(f"/r/{REGENCY_A}/cari"):
        from flask import g

        g.regency = three["regencies"][0]
        results = summary.search(three["regencies"][0].id, "penanganan", 5)
        assert [r.kind for r in results] == ["Sesi bimtek"]
        assert summary.search(three["regencies"][0].id, "%", 5) == []


def test_core_exports_list_sessions_and_participants(login_as, three):
    client = login_as("pemantau_a")
    sessions = client.get(f"/r/{REGENCY_A}/ekspor/bimtek/sesi").get_data(as_text=True)
    assert "Kehadiran (%)" in sessions and "Terlaksana,4,2,50.0" in sessions
    people = client.get(f"/r/{REGENCY_A}/ekspor/bimtek/peserta").get_data(as_text=True)
    assert people.count("Peserta ") == 4 and "Surabaya" not in people
