"""The lists of the supervision plugin: activities and follow-ups (filters in
the URL, swapped in as htmx partials), coverage of the kecamatan and desa,
and the dashboard card."""

from collections import Counter

from flask import Response, g
from flask_login import current_user

from phpnet.plugin_api import has_permission, paginate, render, requires, today_wib
from plugins.supervision import coverage as regency_coverage
from plugins.supervision import summary
from plugins.supervision.blueprint import EDIT, VIEW, bp
from plugins.supervision.filters import ActivityFilters, CoverageFilters, FollowUpFilters
from plugins.supervision.models import Kind
from plugins.supervision.queries import filtered_activities, filtered_follow_ups, with_details

LIST_PAGE = "supervision/list.html"
FOLLOW_UPS_PAGE = "supervision/follow_ups.html"
COVERAGE_PAGE = "supervision/coverage.html"


@bp.get("/")
@requires(VIEW)
def index() -> Response:
    filters = ActivityFilters.of_regency(g.regency.id)
    today = today_wib()
    page = paginate(with_details(filtered_activities(g.regency.id, filters, today)), filters.page)
    return render(
        LIST_PAGE,
        block="results",
        regency=g.regency,
        filters=filters,
        page=page,
        today=today,
        tally=lambda activity: Counter(f.state_on(today).value for f in activity.follow_ups),
        can_edit=has_permission(current_user, g.regency, EDIT),
    )


@bp.get("/tindak-lanjut")
@requires(VIEW)
def follow_ups() -> Response:
    """Every follow-up of the regency; ``?status=terlambat`` is the list of
    everything overdue."""
    filters = FollowUpFilters.of_regency(g.regency.id)
    today = today_wib()
    page = paginate(filtered_follow_ups(g.regency.id, filters, today), filters.page)
    return render(
        FOLLOW_UPS_PAGE,
        block="results",
        regency=g.regency,
        filters=filters,
        page=page,
        today=today,
        state=lambda follow_up: follow_up.state_on(today),
    )


@bp.get("/cakupan")
@requires(VIEW)
def coverage() -> Response:
    """Which kecamatan (PPK) and desa (PPS) were reached, by which kinds: a
    table and a grid of tiles; ``?kecamatan=<id>`` adds that kecamatan's desa."""
    found = regency_coverage.regency_coverage(g.regency.id)
    filters = CoverageFilters.from_url(kecamatan=[(k.id, k.name) for k in found.kecamatan])
    chosen_id = filters.values["kecamatan"]
    chosen = next((k for k in found.kecamatan if k.id == chosen_id), None)
    desa = regency_coverage.desa_coverage(g.regency.id, chosen.id) if chosen else []
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
    today = today_wib()
    return render(
        "supervision/card.html", figures=summary.card_figures(g.regency.id, today), today=today
    )
