"""The inventory's figures for the province's dashboard: live DIM entries per
regency by stage and by status, only where the module is enabled."""

import re
from datetime import datetime

from sqlalchemy import func, select

from phpnet.plugin_api import db
from phpnet.testing import REGENCY_A, REGENCY_B, enable_plugin
from plugins.inventory.figures import province_figures
from plugins.inventory.models import Entry, Level, Stage, Status
from plugins.inventory.tests.list_helpers import make_entries, make_entry

SIDOARJO = "3515"


def test_figures_count_live_entries_by_stage_and_status(app, regency):
    malang, surabaya = regency(REGENCY_A), regency(REGENCY_B)
    make_entries(malang, 2, stage=Stage.PEMUNGUTAN, status=Status.OPEN)
    make_entry(malang, stage=Stage.PENGHITUNGAN, status=Status.DISPUTE_LIKELY)
    make_entry(malang, status=Status.RESOLVED, deleted_at=datetime(2024, 2, 20))  # not counted
    make_entries(surabaya, 3, stage=Stage.REKAP_KABKOTA, status=Status.RESOLVED)
    db.session.commit()
    by_stage, by_status = province_figures([malang, surabaya])
    assert by_stage.stacked and by_stage.categories == [malang.name, surabaya.name]
    stages = {s.label: list(s.values) for s in by_stage.series}
    assert stages[Stage.PEMUNGUTAN.label] == [2, 0]
    assert stages[Stage.PENGHITUNGAN.label] == [1, 0]
    assert stages[Stage.REKAP_KABKOTA.label] == [0, 3]
    statuses = {s.label: list(s.values) for s in by_status.series}
    for status in Status:
        for index, r in enumerate((malang, surabaya)):
            direct = db.session.execute(
                select(func.count())
                .select_from(Entry)
                .where(Entry.regency_id == r.id, Entry.status == status, Entry.deleted_at.is_(None))
            ).scalar_one()
            assert statuses[status.label][index] == direct


def test_province_dashboard_draws_them_only_where_enabled(app, login_as, regency):
    sidoarjo = regency(SIDOARJO)
    make_entries(regency(REGENCY_A), 2)
    make_entry(sidoarjo, level=Level.KABKOTA)  # Sidoarjo has no TPS in the world
    enable_plugin(sidoarjo, "inventory", False)
    page = login_as("provinsi").get("/provinsi/").text
    table = re.search(r"Data: Entri DIM per kabupaten/kota menurut status.*?</table>", page, re.S)
    assert table is not None and 'role="img"' in page
    assert re.search(rf">{regency(REGENCY_A).name}</th>.*?>2 entri</td>\s*</tr>", table.group(0),
                     re.S)  # fmt: skip
    assert sidoarjo.name not in table.group(0)
