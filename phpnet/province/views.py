"""The province's pages at ``/provinsi/``: dashboard, readiness matrix, what
changed, reports (the election calendar: views_calendar.py). Admin and
provinsi users only."""

from typing import Any

from flask import Response, abort, request
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from phpnet.access import roles_required
from phpnet.contrib import Figure
from phpnet.extensions import db
from phpnet.htmx import render
from phpnet.kit.clock import today_wib
from phpnet.province import changes as feed
from phpnet.province import readiness, report, schedule
from phpnet.province.blueprint import PROVINCE_ROLES, bp
from phpnet.province.charts import chart_id, number, render_chart, table_rows
from phpnet.province.figures import plugin_figures, weekly_activity
from phpnet.province.forms import (
    ChangeFilterForm,
    MatrixFilterForm,
)
from phpnet.regions.models import Regency, dotted_code
from phpnet.teams.models import current_team

DASHBOARD_DATES = 6
DASHBOARD_CHANGES = 10
SUMMARY_CHANGES = 8
WORST_SHOWN = 5


def _single_values() -> MultiDict[str, str]:
    """The first value of each query parameter (``?a=1&a=2`` is ``a=1``)."""
    return MultiDict({key: request.args[key] for key in request.args})


# --- dashboard --------------------------------------------------------------------


@bp.get("/")
@roles_required(*PROVINCE_ROLES)
def dashboard() -> Any:
    regencies = readiness.active_regencies()
    matrix = readiness.build_matrix(regencies)
    worst = readiness.sort_rows(matrix.rows, "terburuk")[:WORST_SHOWN]
    now = today_wib()
    return render(
        "province/dashboard.html",
        today=now,
        dates=schedule.upcoming(schedule.key_dates(now), DASHBOARD_DATES),
        matrix=matrix,
        worst=worst,
        average=readiness.average_score(matrix.rows),
        figures=plugin_figures(regencies),
        activity=weekly_activity(regencies, now),
        changes=feed.latest(DASHBOARD_CHANGES),
    )


# --- readiness matrix -------------------------------------------------------------


def _matrix_filters(regencies: list[Regency]) -> tuple[MatrixFilterForm, Regency | None, str]:
    form = MatrixFilterForm(formdata=_single_values())
    form.kabkota.choices = [("", "Semua kabupaten/kota"), *((r.slug, r.name) for r in regencies)]
    form.urut.choices = list(readiness.SORTS.items())
    chosen = {r.slug: r for r in regencies}.get(form.kabkota.data or "")
    if form.kabkota.data and chosen is None:
        form.kabkota.errors = ["Kabupaten/kota tidak dikenal; semua ditampilkan."]
    sort = form.urut.data if form.urut.data in readiness.SORTS else readiness.DEFAULT_SORT
    if form.urut.data and form.urut.data != sort:
        form.urut.errors = ["Urutan tidak dikenal; diurutkan menurut kode."]
    return form, chosen, sort


@bp.get("/kesiapan")
@roles_required(*PROVINCE_ROLES)
def readiness_matrix() -> Any:
    regencies = readiness.active_regencies()
    form, chosen, sort = _matrix_filters(regencies)
    matrix = readiness.build_matrix([chosen] if chosen else regencies)
    rows = readiness.sort_rows(matrix.rows, sort)
    return render(
        "province/readiness.html",
        block="matrix",
        form=form,
        matrix=matrix,
        rows=rows,
        sort=sort,
        sorts=readiness.SORTS,
        chosen=chosen,
        average=readiness.average_score(rows),
    )


# --- reports ----------------------------------------------------------------------


@bp.get("/laporan.xlsx")
@roles_required(*PROVINCE_ROLES)
def report_xlsx() -> Response:
    regencies = readiness.active_regencies()
    now = today_wib()
    content = report.workbook(
        readiness.build_matrix(regencies),
        [*plugin_figures(regencies), weekly_activity(regencies, now).figure()],
        schedule.key_dates(now),
        current_user.full_name,
    )
    response = Response(
        content,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"kesiapan-jawa-timur-{now.isoformat()}.xlsx"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/cetak")
@roles_required(*PROVINCE_ROLES)
def report_print() -> Any:
    regencies = readiness.active_regencies()
    matrix = readiness.build_matrix(regencies)
    now = today_wib()
    return render(
        "province/print.html",
        today=now,
        dates=schedule.key_dates(now),
        matrix=matrix,
        rows=matrix.rows,
        average=readiness.average_score(matrix.rows),
        figures=plugin_figures(regencies),
        activity=weekly_activity(regencies, now),
        printed_by=current_user.full_name,
    )


@bp.get("/kab/<code>/ringkasan")
@roles_required(*PROVINCE_ROLES)
def regency_summary(code: str) -> Any:
    regency = None
    if code.isdigit() and len(code) == 4:
        regency = db.session.execute(
            select(Regency).filter_by(code=dotted_code(code), is_active=True)
        ).scalar_one_or_none()
    if regency is None:
        abort(404)
    matrix = readiness.build_matrix([regency])
    now = today_wib()
    return render(
        "province/summary.html",
        regency=regency,
        today=now,
        matrix=matrix,
        row=matrix.rows[0],
        figures=plugin_figures([regency]),
        activity=weekly_activity([regency], now),
        team=current_team(regency.id),
        changes=feed.latest(SUMMARY_CHANGES, regency),
    )


# --- what changed ------------------------------------------------------------------


def _change_filters(regencies: list[Regency]) -> tuple[ChangeFilterForm, feed.ChangeFilters]:
    form = ChangeFilterForm(formdata=_single_values())
    form.kabkota.choices = [("", "Semua"), *((r.slug, r.name) for r in regencies)]
    types = feed.object_types()
    form.objek.choices = [("", "Semua"), *((t, feed.object_label(t)) for t in types)]
    form.validate()
    chosen = {r.slug: r for r in regencies}.get(form.kabkota.data or "")
    if form.kabkota.data and chosen is None:
        form.kabkota.errors = ["Kabupaten/kota tidak dikenal."]
    object_type = form.objek.data or ""
    if object_type and object_type not in types:
        form.objek.errors = ["Jenis objek tidak dikenal."]
        object_type = ""
    start = form.dari.data if not form.dari.errors else None
    end = form.sampai.data if not form.sampai.errors else None
    if start and end and end < start:
        form.sampai.errors = ["Tanggal akhir lebih awal dari tanggal mulai."]
        end = None
    return form, feed.ChangeFilters(chosen, object_type, start, end)


def _page_number() -> int:
    text = request.args.get("halaman", "1")
    return int(text) if text.isdigit() and len(text) < 10 else 1


@bp.get("/perubahan")
@roles_required(*PROVINCE_ROLES)
def changes() -> Any:
    form, filters = _change_filters(readiness.active_regencies())
    page = feed.page(filters, _page_number())
    return render(
        "province/changes.html",
        block="results",
        form=form,
        page=page,
        filters=filters.args(),
        ignored=[f.label.text for f in form if f.errors],
    )


def countdown_text(days: int | None, working_days: int | None) -> str:
    """ "H-5 (3 hari kerja)", "Hari ini", "Lewat 4 hari"."""
    if days is None:
        return "Tanggal acuan belum ada"
    if days == 0:
        return "Hari ini"
    if days < 0:
        return f"Lewat {-days} hari"
    return f"H-{days} ({working_days} hari kerja lagi)"


@bp.app_template_filter("hitung_mundur")
def _countdown_filter(key_date: schedule.KeyDate) -> str:
    return countdown_text(key_date.days_left, key_date.working_days_left)


@bp.app_template_global("province_chart")
def _chart(figure: Figure, prefix: str = "fig") -> Markup:
    return render_chart(figure, prefix)


@bp.app_template_global("province_table_rows")
def _table_rows(figure: Figure) -> list[tuple[str, list[float], float]]:
    return table_rows(figure)


@bp.app_template_filter("bilangan")
def _number(value: float | None) -> str:
    return "-" if value is None else number(value)


@bp.app_template_global("province_chart_id")
def _chart_id(figure: Figure, prefix: str = "fig") -> str:
    return chart_id(figure, prefix)
