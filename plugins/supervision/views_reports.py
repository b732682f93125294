"""The filtered lists as reports: XLSX sheets formatted as the activity
report (laporan kegiatan) and printable pages (core's print page)."""

import io
from collections.abc import Iterator
from typing import Any

from flask import Response, g, send_file
from flask_login import current_user
from sqlalchemy import Select

from phpnet.plugin_api import db, requires, today_wib
from plugins.supervision import exporter, report
from plugins.supervision.blueprint import VIEW, bp
from plugins.supervision.filters import ActivityFilters, FollowUpFilters
from plugins.supervision.queries import filtered_activities, filtered_follow_ups, with_details

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRINT_LIMIT = 500  # activities on one printed report


def _attachment(buffer: io.BytesIO, name: str) -> Response:
    buffer.seek(0)
    return send_file(
        buffer, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=name, max_age=0
    )


def _all(statement: Select) -> Iterator[Any]:
    return db.session.execute(statement).scalars()


def _line(filters_text: str, done: str) -> str:
    return f"Filter: {filters_text} · {exporter.now_line(done, current_user.full_name)}"


@bp.get("/ekspor.xlsx")
@requires(VIEW)
def export_xlsx() -> Response:
    filters = ActivityFilters.of_regency(g.regency.id)
    today = today_wib()
    statement = with_details(filtered_activities(g.regency.id, filters, today))
    rows = (
        exporter.activity_cells(number, activity, today)
        for number, activity in enumerate(_all(statement), 1)
    )
    buffer = io.BytesIO()
    exporter.write_xlsx(
        buffer,
        f"Laporan Kegiatan Supervisi dan Pendampingan — {g.regency.name}",
        _line(filters.in_words(), "Diekspor"),
        exporter.ACTIVITY_COLUMNS,
        rows,
    )
    return _attachment(buffer, exporter.filename(g.regency, "laporan-kegiatan"))


@bp.get("/tindak-lanjut/ekspor.xlsx")
@requires(VIEW)
def export_follow_ups_xlsx() -> Response:
    filters = FollowUpFilters.of_regency(g.regency.id)
    today = today_wib()
    statement = filtered_follow_ups(g.regency.id, filters, today)
    rows = (
        exporter.follow_up_cells(number, follow_up, today)
        for number, follow_up in enumerate(_all(statement), 1)
    )
    buffer = io.BytesIO()
    exporter.write_xlsx(
        buffer,
        f"Tindak Lanjut Supervisi dan Pendampingan — {g.regency.name}",
        _line(filters.in_words(), "Diekspor"),
        exporter.FOLLOW_UP_COLUMNS,
        rows,
    )
    return _attachment(buffer, exporter.filename(g.regency, "tindak-lanjut"))


@bp.get("/cetak")
@requires(VIEW)
def print_view() -> Response:
    filters = ActivityFilters.of_regency(g.regency.id)
    statement = with_details(filtered_activities(g.regency.id, filters, today_wib()))
    activities = list(_all(statement.limit(PRINT_LIMIT + 1)))
    return report.report_page(
        activities[:PRINT_LIMIT],
        filter_line=_line(filters.in_words(), "Dicetak"),
        truncated=len(activities) > PRINT_LIMIT,
        list_args=filters.query_args(page=1),
    )


@bp.get("/tindak-lanjut/cetak")
@requires(VIEW)
def print_follow_ups() -> Response:
    filters = FollowUpFilters.of_regency(g.regency.id)
    statement = filtered_follow_ups(g.regency.id, filters, today_wib())
    return report.follow_ups_page(
        list(_all(statement)),
        _line(filters.in_words(), "Dicetak"),
        list_args=filters.query_args(page=1),
    )
