"""The DIM's demo entries (``phpnet demo``)."""

from sqlalchemy import select

from phpnet.plugin_api import db
from phpnet.testing import REGENCY_A
from plugins.inventory.demo import DEMO_ENTRIES, add_demo_entries
from plugins.inventory.models import Entry, Level, Status


def test_demo_entries_reach_every_level_and_status_and_show_in_the_list(app, login_as, regency):
    malang = regency(REGENCY_A)

    assert add_demo_entries(malang) == "6 entri DIM"
    db.session.commit()

    stored = db.session.execute(
        select(Entry.level, Entry.status, Entry.tps_id).where(Entry.regency_id == malang.id)
    ).all()
    assert {level for level, _, _ in stored} == set(Level)
    assert {status for _, status, _ in stored} == set(Status)
    assert all((tps is not None) == (level is Level.TPS) for level, _, tps in stored)
    page = login_as("operator_a").get(f"/r/{REGENCY_A}/inventory/?per_page=25").text
    assert "6 entri" in page
    for *_, description, _status, _follow_up in DEMO_ENTRIES:
        assert description.split(";")[0][:40] in page
