"""The dashboard, its SVG charts, the change feed and the reports (XLSX,
print view, one-page summary), with their numbers checked against direct
queries."""

import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from phpnet.audit.models import AuditEntry
from phpnet.audit.service import record
from phpnet.contrib import Figure, Series
from phpnet.extensions import db
from phpnet.kit.clock import today_wib
from phpnet.province.charts import render_chart
from phpnet.province.figures import monday
from phpnet.province.models import ElectionEvent, EventKind
from phpnet.regions.models import Tps
from phpnet.teams.models import Team
from phpnet.testing import HX, REGENCY_A, REGENCY_B

SIDOARJO = "3515"


@pytest.fixture
def world(app, regency, enable_siaga, siaga):
    enable_siaga(REGENCY_A, REGENCY_B, SIDOARJO)
    malang = regency(REGENCY_A)
    db.session.add(Team(regency_id=malang.id, sk_number="7/2024", sk_date=date(2024, 3, 1),
                        signed_by="Ketua"))  # fmt: skip
    this_week = monday(today_wib())
    siaga.patrols.update({
        (malang.id, this_week): 3,
        (malang.id, this_week - timedelta(weeks=1)): 2,
        (regency(REGENCY_B).id, this_week): 4,
        (regency("3501").id, this_week): 50,  # siaga is off there: never counted
    })  # fmt: skip
    db.session.add(ElectionEvent(name="Sidang pengucapan putusan", kind=EventKind.MK_SCHEDULE,
                                 on_date=today_wib() + timedelta(days=9)))  # fmt: skip
    db.session.commit()


def test_chart_is_an_accessible_svg_with_a_title_per_bar():
    figure = Figure(
        "uji", "Entri <DIM>", ["Kab. A", "Kota B"],
        [Series("Selesai", [3, 0]), Series("Belum", [1, 2])], stacked=True, unit=" entri",
    )  # fmt: skip
    svg = str(render_chart(figure, "t"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-label="Diagram batang bertumpuk: Entri &lt;DIM&gt;' in svg
    assert "<title>Kab. A, Selesai: 3 entri</title>" in svg
    assert "<title>Kota B, Belum: 2 entri</title>" in svg
    assert svg.count("<title>") == 3  # a zero in a stack draws no bar
    assert ">4 entri</text>" in svg and ">2 entri</text>" in svg  # totals at the ends
    assert 'id="t-uji-p0"' in svg and 'id="t-uji-p1"' in svg  # colour + pattern per series
    assert "Jumlah (entri)" in svg and "<DIM>" not in svg


def test_dashboard_shows_dates_figures_activity_and_changes(login_as, world, regency):
    page = login_as("provinsi").get("/provinsi/").text
    assert "Sidang pengucapan putusan" in page and "H-9 (" in page
    assert "TPS siaga per kab/kota" in page and 'role="img"' in page
    table = re.search(r"Data: TPS siaga per kab/kota.*?</table>", page, re.S).group(0)
    counted = dict(db.session.execute(
        select(Tps.regency_id, func.count()).group_by(Tps.regency_id)).all())  # fmt: skip
    for code in (REGENCY_A, REGENCY_B, SIDOARJO):
        r = regency(code)
        assert re.search(rf">{r.name}</th>\s*<td class=\"num\">{counted.get(r.id, 0)} TPS<", table)
    assert "Kabupaten Pacitan" not in table  # siaga is off there
    activity = re.search(r"Data: Kegiatan per minggu.*?</table>", page, re.S).group(0)
    kinds = re.findall(r'<th scope="col" class="num">([^<]+)</th>', activity)
    patrol = kinds.index("Patroli")  # other modules may add kinds of their own
    weeks = re.findall(r"<tr>\s*<th scope=\"row\">Minggu.*?</tr>", activity, re.S)
    counts = [re.findall(r'<td class="num">(\d+) kegiatan</td>', w)[patrol] for w in weeks]
    assert counts == ["0"] * 10 + ["2", "7"]
    assert "Perubahan terbaru" in page and "province_event" not in page


def test_change_feed_filters_and_leaves_out_logins(login_as, world, regency):
    malang = regency(REGENCY_A)
    record("tps_import", "tps", regency_id=malang.id, after={"rows": 6})
    record("login", "user_account", regency_id=malang.id)
    db.session.commit()
    client = login_as("provinsi")
    page = client.get("/provinsi/perubahan", query_string={"kabkota": REGENCY_A}).text
    expected = db.session.execute(
        select(func.count())
        .select_from(AuditEntry)
        .where(
            AuditEntry.regency_id == malang.id,
            AuditEntry.action.not_in(("login", "logout", "login_failed")),
            AuditEntry.object_type.not_in(("user_session", "login_attempt")),
        )
    ).scalar_one()
    assert f"{expected} perubahan" in page and "Impor TPS" in page and ">Masuk<" not in page
    fragment = client.get("/provinsi/perubahan", query_string={"objek": "tps"}, headers=HX).text
    assert "<html" not in fragment and 'id="changes"' in fragment and "Impor TPS" in fragment
    odd = client.get("/provinsi/perubahan", query_string={"objek": "x", "dari": "kemarin"})
    assert odd.status_code == 200 and "diabaikan" in odd.text


def test_xlsx_report_has_the_matrix_and_the_figures(login_as, world, regency):
    response = login_as("provinsi").get("/provinsi/laporan.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(response.data))
    matrix = list(book["Kesiapan"].iter_rows(min_row=4, values_only=True))
    header, lines = matrix[0], matrix[1:]
    assert len(lines) == 38 and "Siaga: TPS siaga" in header
    column = header.index("Siaga: SK siaga")
    by_code = {line[0]: line for line in lines}
    assert by_code["35.07"][column] == "Siap" and by_code["35.15"][column] == "Belum"
    assert by_code["35.01"][column] == "tidak diaktifkan"
    figure = list(book["TPS siaga per kab-kota"].iter_rows(min_row=4, values_only=True))
    assert (regency(REGENCY_A).name, 6, 6) in figure
    assert "Kalender" in book.sheetnames


def test_print_view_and_regency_summary(login_as, world, regency):
    client = login_as("provinsi")
    printed = client.get("/provinsi/cetak").text
    assert "Laporan kesiapan" in printed and 'class="province-print"' in printed
    assert "SK siaga belum ada." in printed  # the list of what is not met
    summary = client.get(f"/provinsi/kab/{REGENCY_A}/ringkasan").text
    assert regency(REGENCY_A).name in summary and "SK 7/2024" in summary
    assert "TPS: 6 TPS" in summary and "Patroli: 5" in summary
    assert client.get("/provinsi/kab/9999/ringkasan").status_code == 404
    assert login_as("operator_a").get(f"/provinsi/kab/{REGENCY_A}/ringkasan").status_code == 403
