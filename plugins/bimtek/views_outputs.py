"""Bimtek outputs: the printable attendance list (daftar hadir) ready before
the session, the activity report (laporan kegiatan) after it, coverage of the
regency's PPK, PPS and KPPS, the attendance threshold setting, and the
dashboard card."""

from typing import Any

from flask import Response, abort, g, request
from sqlalchemy import select

from phpnet.plugin_api import (
    db,
    may,
    plugin_settings,
    render,
    render_invalid,
    requires,
    saved,
    set_plugin_settings,
    today_wib,
)
from plugins.bimtek import bodies, coverage, sessions, summary
from plugins.bimtek.blueprint import MANAGE, NAME, VIEW, bp, session_or_404
from plugins.bimtek.forms import SettingsForm
from plugins.bimtek.models import Level, Participant
from plugins.bimtek.views_participants import printed_people

SHEET_PAGE = "bimtek/attendance_sheet.html"
REPORT_PAGE = "bimtek/report.html"
COVERAGE_PAGE = "bimtek/coverage.html"
SETTINGS_PAGE = "bimtek/settings.html"
CARD = "bimtek/card.html"
MAX_BLANK_ROWS = 50  # empty lines for people who come without an invitation


def _printed(template: str, context: dict[str, Any]) -> Response:
    """A print view is a whole page, even when htmx asks: a document is never
    a fragment of another page."""
    return render(template, block=None, **context)


@bp.get("/<int:session_id>/daftar-hadir")
@requires(VIEW)
def attendance_sheet(session_id: int) -> Response:
    """The daftar hadir: every invited person with an empty signature
    column, plus blank lines up to the expected number of participants."""
    found = session_or_404(session_id)
    printed = printed_people(found)
    blank = max(0, (found.expected_participants or 0) - len(printed["people"]))
    context = {"found": found, "blank_rows": min(blank, MAX_BLANK_ROWS), **printed}
    return _printed(SHEET_PAGE, context)


@bp.get("/<int:session_id>/laporan")
@requires(VIEW)
def report(session_id: int) -> Response:
    """The laporan kegiatan: who was invited and came, per body, and the tests."""
    found = session_or_404(session_id)
    rows = db.session.execute(
        select(Participant.level, Participant.attended).where(
            Participant.session_id == found.id, Participant.regency_id == g.regency.id
        )
    ).all()
    per_level = {level: [0, 0] for level in Level}
    for level, attended in rows:
        per_level[level][0] += 1
        per_level[level][1] += int(attended)
    context = {
        "found": found,
        "figures": sessions.figures_of(found),
        "per_level": per_level,
        "targets": bodies.summarise_targets(found.targets),
        "share": coverage.percent,
    }
    return _printed(REPORT_PAGE, context)


@bp.get("/cakupan", endpoint="coverage")
@requires(VIEW)
def coverage_page() -> Response:
    """Per kecamatan, the share of its PPK, PPS and KPPS that attended at
    least one session; with ``kecamatan``, the bodies of one never reached."""
    lines = coverage.coverage_by_kecamatan(g.regency.id)
    total = sum((line.reach for line in lines), coverage.Reach())
    chosen_id = request.args.get("kecamatan", "")
    chosen = next((line for line in lines if str(line.id) == chosen_id), None)
    if chosen_id and chosen is None:
        abort(404)  # a link to the detail of a kecamatan this regency does not have
    return render(
        COVERAGE_PAGE,
        lines=lines,
        total=total,
        levels=list(Level),
        unreached_ppk=[line for line in lines if not line.reach.ppk_reached],
        unreached=coverage.unreached_in(g.regency.id, chosen) if chosen else None,
    )


def _threshold() -> int:
    return summary.threshold_in(plugin_settings(g.regency, NAME))


@bp.route("/pengaturan", methods=["GET", "POST"])
@requires(VIEW, POST=MANAGE)
def settings() -> Response:
    """The attendance threshold of the readiness check: everyone sees it,
    only an operator (or admin) changes it."""
    if request.method == "GET":
        form = SettingsForm(data={"attendance_threshold": _threshold()})
        return render(SETTINGS_PAGE, form=form, can_manage=may(MANAGE), notice=None)
    form = SettingsForm()
    if not form.validate_on_submit():
        return render_invalid(SETTINGS_PAGE, form=form, can_manage=True, notice=None)
    stored = plugin_settings(g.regency, NAME)
    stored[summary.THRESHOLD_KEY] = form.attendance_threshold.data
    set_plugin_settings(g.regency, NAME, stored)
    db.session.commit()
    message = f"Ambang kehadiran disimpan: {form.attendance_threshold.data}%."
    return saved(message, "bimtek.settings")


@bp.get("/kartu")
@requires(VIEW)
def card() -> Response:
    """The dashboard card: the next session, attendance over held sessions, coverage."""
    regency = g.regency
    return render(
        CARD,
        upcoming=summary.next_session(regency.id, today_wib()),
        held=summary.held_figures([regency.id]).get(regency.id, sessions.Figures()),
        reach=coverage.coverage_by_regency([regency])[regency.id],
        threshold=_threshold(),
        levels=list(Level),
    )
