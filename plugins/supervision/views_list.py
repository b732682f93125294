"""The lists of the supervision plugin: activities and follow-ups (filters in
the URL, swapped in as htmx partials, exported as XLSX and as a printable
activity report), coverage of the kecamatan and desa, and the dashboard card."""

import io
from collections import Counter
from typing import Any

from flask import Response, g, request, send_file
from flask_login import current_user

from phpnet.extensions import db
from phpnet.htmx import render
from phpnet.plugin_system.permissions import has_permission, requires
from plugins.supervision import clock, exporter, report, summary
from plugins.supervision.blueprint import EDIT, VIEW, bp
from plugins.supervision.forms import MAX_INTEGER
from plugins.supervision.models import BodyLevel, Kind
from plugins.supervision.queries import (
    ActivityStatus,
    FollowUpState,
    filtered_activities,
    filtered_follow_ups,
    follow_up_state,
    kecamatan_options,
    member_options,
    paginate,
    parse_activity_filters,
    parse_follow_up_filters,
    with_details,
)

LIST_PAGE = "supervision/list.html"
FOLLOW_UPS_PAGE = "supervision/follow_ups.html"
COVERAGE_PAGE = "supervision/coverage.html"
FOLLOW_UPS_PRINT = "supervision/follow_ups_print.html"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRINT_LIMIT = 500  # activities on one printed report


def _attachment(buffer: io.BytesIO, name: str) -> Response:
    buffer.seek(0)
    return send_file(
        buffer, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=name, max_age=0
    )


@bp.get("/")
@requires(VIEW)
def index() -> Response:
    filters, problems = parse_activity_filters(request.args)
    today = clock.today()
    page = paginate(with_details(filtered_activities(g.regency.id, filters, today)), filters.page)
    return render(
        LIST_PAGE,
        block="results",
        regency=g.regency,
        filters=filters,
        problems=problems,
        page=page,
        today=today,
        tally=lambda activity: Counter(
            follow_up_state(f, today).value for f in activity.follow_ups
        ),
        kinds=list(Kind),
        levels=list(BodyLevel),
        statuses=list(ActivityStatus),
        kecamatan=kecamatan_options(g.regency.id),
        members=member_options(g.regency.id),
        can_edit=has_permission(current_user, g.regency, EDIT),
    )


@bp.get("/tindak-lanjut")
@requires(VIEW)
def follow_ups() -> Response:
    """Every follow-up of the regency; ``?status=terlambat`` is the list of
    everything overdue."""
    filters, problems = parse_follow_up_filters(request.args)
    today = clock.today()
    page = paginate(filtered_follow_ups(g.regency.id, filters, today), filters.page)
    return render(
        FOLLOW_UPS_PAGE,
        block="results",
        regency=g.regency,
        filters=filters,
        problems=problems,
        page=page,
        today=today,
        state=lambda follow_up: follow_up_state(follow_up, today),
        states=list(FollowUpState),
        kinds=list(Kind),
        members=member_options(g.regency.id),
    )


@bp.get("/cakupan")
@requires(VIEW)
def coverage() -> Response:
    """Which kecamatan (PPK) and desa (PPS) were reached, by which kinds: a
    table and a grid of tiles; ``?kecamatan=<id>`` adds that kecamatan's desa."""
    found = summary.coverage(g.regency.id)
    raw = request.args.get("kecamatan", "")
    chosen = None
    if raw.isascii() and raw.isdigit() and int(raw) <= MAX_INTEGER:
        chosen = next((k for k in found.kecamatan if k.id == int(raw)), None)
    desa = summary.desa_coverage(g.regency.id, chosen.id) if chosen else []
    return render(
        COVERAGE_PAGE,
        block="desa" if chosen else "content",
        regency=g.regency,
        coverage=found,
        chosen=chosen,
        desa=desa,
        kinds=list(Kind),
    )


@bp.get("/kartu")
@requires(VIEW)
def card() -> Response:
    today = clock.today()
    return render(
        "supervision/card.html", figures=summary.card_figures(g.regency.id, today), today=today
    )


# --- Exports and print --------------------------------------------------------------------


@bp.get("/ekspor.xlsx")
@requires(VIEW)
def export_xlsx() -> Response:
    filters, _ = parse_activity_filters(request.args)
    today = clock.today()
    statement = with_details(filtered_activities(g.regency.id, filters, today))
    rows = (
        exporter.activity_cells(number, activity, today)
        for number, activity in enumerate(_all(statement), 1)
    )
    buffer = io.BytesIO()
    exporter.write_xlsx(
        buffer,
        f"Laporan Kegiatan Supervisi dan Pendampingan — {g.regency.name}",
        _line(report.describe_activities(filters), "Diekspor"),
        exporter.ACTIVITY_COLUMNS,
        rows,
    )
    return _attachment(buffer, exporter.filename(g.regency, "laporan-kegiatan"))


@bp.get("/tindak-lanjut/ekspor.xlsx")
@requires(VIEW)
def export_follow_ups_xlsx() -> Response:
    filters, _ = parse_follow_up_filters(request.args)
    today = clock.today()
    statement = filtered_follow_ups(g.regency.id, filters, today)
    rows = (
        exporter.follow_up_cells(number, follow_up, today)
        for number, follow_up in enumerate(_all(statement), 1)
    )
    buffer = io.BytesIO()
    exporter.write_xlsx(
        buffer,
        f"Tindak Lanjut Supervisi dan Pendampingan — {g.regency.name}",
        _line(report.describe_follow_ups(filters), "Diekspor"),
        exporter.FOLLOW_UP_COLUMNS,
        rows,
    )
    return _attachment(buffer, exporter.filename(g.regency, "tindak-lanjut"))


@bp.get("/cetak")
@requires(VIEW)
def print_view() -> Response:
    filters, _ = parse_activity_filters(request.args)
    today = clock.today()
    statement = with_details(filtered_activities(g.regency.id, filters, today))
    activities = list(_all(statement.limit(PRINT_LIMIT + 1)))
    return report.report_page(
        activities[:PRINT_LIMIT],
        filter_line=_line(report.describe_activities(filters), "Dicetak"),
        truncated=len(activities) > PRINT_LIMIT,
        list_args=filters.query_args(),
    )


@bp.get("/tindak-lanjut/cetak")
@requires(VIEW)
def print_follow_ups() -> Response:
    filters, _ = parse_follow_up_filters(request.args)
    today = clock.today()
    return render(
        FOLLOW_UPS_PRINT,
        regency=g.regency,
        follow_ups=list(_all(filtered_follow_ups(g.regency.id, filters, today))),
        filter_line=_line(report.describe_follow_ups(filters), "Dicetak"),
        state=lambda follow_up: follow_up_state(follow_up, today),
        signer=report.signer(),
        today=today,
        list_args=filters.query_args(),
    )


def _all(statement: Any) -> Any:
    return db.session.execute(statement).scalars()


def _line(filters_text: str, done: str) -> str:
    return f"Filter: {filters_text} · {exporter.now_line(done, current_user.full_name)}"
