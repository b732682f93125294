"""Readiness checks (each judging many regencies in one call, with a fixed
number of queries), the dashboard card, search, exports, the province's
figures and weekly activity."""

from datetime import date, datetime

import pytest
from sqlalchemy import event, update

from phpnet.plugin_api import db
from phpnet.testing import HX, REGENCY_A, REGENCY_B
from plugins.coordination import summary
from plugins.coordination.models import ActionStatus, InvitedRegency, MeetingStatus
from plugins.coordination.tests import helpers

SIDOARJO, JEMBER = "3515", "3509"
TODAY = date(2024, 3, 18)


@pytest.fixture(autouse=True)
def fixed_today(move_clock):
    move_clock(TODAY)


@pytest.fixture
def four(regency):
    return [regency(code) for code in (REGENCY_A, REGENCY_B, SIDOARJO, JEMBER)]


def _statements(call, regencies):
    """What ``call`` returns and how many statements it ran (the regencies
    are loaded first, as the caller of a check has them)."""
    assert all(r.name for r in regencies)
    executed = []
    listener = lambda *args: executed.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = call()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return result, len(executed)


def test_rakor_with_ad_hoc_bodies(app, four):
    malang, surabaya, sidoarjo, _ = four
    helpers.invite_body(helpers.regency_meeting(malang, status=MeetingStatus.HELD))
    helpers.invite_body(helpers.regency_meeting(surabaya, status=MeetingStatus.SCHEDULED))
    helpers.regency_meeting(
        sidoarjo, status=MeetingStatus.HELD
    )  # no body invited: not a rakor with them
    db.session.commit()
    results, queries = _statements(lambda: summary.check_rakor_held(four), four)
    assert [results[r.id].status for r in four] == ["ok", "warn", "fail", "fail"]
    assert queries == 1


def test_no_overdue_action_item(app, four):
    malang, surabaya, sidoarjo, jember = four
    decision = helpers.decision(helpers.province_meeting(four))
    helpers.action(decision, malang, date(2024, 3, 10))  # overdue
    helpers.action(decision, surabaya, date(2024, 3, 20))  # due within a week
    helpers.action(decision, sidoarjo, date(2024, 3, 10), ActionStatus.DONE)  # late but done
    helpers.action(decision, jember, date(2024, 5, 1))
    db.session.commit()
    results, queries = _statements(lambda: summary.check_no_overdue(four), four)
    assert [results[r.id].status for r in four] == ["fail", "warn", "ok", "ok"]
    assert queries == 1


def test_attendance_confirmed_for_the_next_province_meeting(app, four):
    malang, surabaya, sidoarjo, jember = four
    soon = helpers.province_meeting([malang, surabaya], held_on=date(2024, 3, 20))
    later = helpers.province_meeting([malang, sidoarjo], held_on=date(2024, 4, 30))
    helpers.province_meeting([jember], held_on=date(2024, 3, 1))  # past: not the next one
    db.session.execute(
        update(InvitedRegency)
        .where(InvitedRegency.meeting_id == soon.id, InvitedRegency.regency_id == malang.id)
        .values(confirmed_at=datetime(2024, 3, 15))
    )
    db.session.commit()
    results, queries = _statements(lambda: summary.check_attendance_confirmed(four), four)
    # Malang confirmed the next one; Surabaya not, and it is in two days; Sidoarjo's is
    # weeks away; Jember has no upcoming invitation.
    assert [results[r.id].status for r in four] == ["ok", "fail", "warn", "ok"]
    assert queries == 1
    assert later.id


def test_card_shows_next_meeting_and_open_and_overdue_items(login_as, regency):
    malang = regency(REGENCY_A)
    helpers.province_meeting([malang], title="Rakor Provinsi April", held_on=date(2024, 4, 2))
    decision = helpers.decision(helpers.regency_meeting(malang))
    helpers.action(decision, malang, date(2024, 3, 1))
    helpers.action(decision, malang, date(2024, 3, 30))
    db.session.commit()
    card = login_as("pemantau_a").get(f"/r/{REGENCY_A}/coordination/kartu", headers=HX)
    body = card.get_data(as_text=True)
    assert "Rakor Provinsi April" in body and "<html" not in body
    assert '<td class="num">2</td>' in body and '<span class="badge off">1</span>' in body


def test_search_finds_meetings_and_agenda(login_as, regency):
    malang = regency(REGENCY_A)
    meeting = helpers.regency_meeting(malang, title="Rakor PPK")
    helpers.agenda(meeting, "Pembahasan saksi mandat")
    helpers.province_meeting([regency(REGENCY_B)], title="Rakor saksi Surabaya")
    db.session.commit()
    page = login_as("pemantau_a").get(f"/r/{REGENCY_A}/cari?q=saksi").get_data(as_text=True)
    assert "Rakor PPK" in page and "Rakor saksi Surabaya" not in page


def test_exports_through_core(login_as, regency):
    malang = regency(REGENCY_A)
    meeting = helpers.regency_meeting(malang, title="=1+1 rakor")
    helpers.action(helpers.decision(meeting), malang, date(2024, 3, 1))
    db.session.commit()
    client = login_as("pemantau_a")
    meetings_csv = client.get(f"/r/{REGENCY_A}/ekspor/coordination/rakor").get_data(as_text=True)
    assert "'=1+1 rakor" in meetings_csv
    actions_csv = client.get(f"/r/{REGENCY_A}/ekspor/coordination/tindak_lanjut").get_data(
        as_text=True
    )
    assert "Kumpulkan C.Hasil salinan" in actions_csv


def test_province_figures_and_weekly_activity(app, four):
    malang, surabaya, sidoarjo, _ = four
    decision = helpers.decision(helpers.province_meeting(four))
    helpers.action(decision, malang, date(2024, 3, 10), ActionStatus.DONE)
    helpers.action(decision, surabaya, date(2024, 3, 10))
    helpers.action(decision, sidoarjo, date(2024, 3, 30))
    helpers.regency_meeting(malang, held_on=date(2024, 3, 5), status=MeetingStatus.HELD)
    helpers.regency_meeting(malang, held_on=date(2024, 3, 7), status=MeetingStatus.HELD)
    helpers.regency_meeting(surabaya, held_on=date(2024, 3, 7), status=MeetingStatus.CANCELLED)
    rakor = helpers.province_meeting(
        [surabaya], held_on=date(2024, 3, 13), status=MeetingStatus.HELD
    )
    helpers.attendee(rakor, surabaya, "Utusan", present=True)
    helpers.attendee(rakor, surabaya, "Utusan kedua", present=True)
    db.session.commit()
    (figure,), queries = _statements(lambda: summary.province_figures(four), four)
    assert queries == 1
    done, open_, late = figure.series
    assert list(done.values) == [1, 0, 0, 0] and list(late.values) == [0, 1, 0, 0]
    assert list(open_.values) == [0, 0, 1, 0]
    (activity,), queries = _statements(
        lambda: summary.weekly_activity(four, date(2024, 3, 4), date(2024, 3, 17)), four
    )
    assert queries == 1
    assert activity.counts == {
        (malang.id, date(2024, 3, 4)): 2,
        (surabaya.id, date(2024, 3, 11)): 1,
    }
