"""Bimtek outputs: the printable attendance list (daftar hadir) ready before
the session, the activity report (laporan kegiatan) after it, coverage of the
regency's PPK, PPS and KPPS, the attendance threshold setting, and the
dashboard card."""

from datetime import UTC, date, datetime
from typing import Any

from flask import Response, abort, flash, g, request
from sqlalchemy import select

from phpnet.extensions import db
from phpnet.htmx import done, render, render_invalid
from phpnet.plugin_system.enablement import plugin_settings, set_plugin_settings
from phpnet.plugin_system.permissions import requires
from phpnet.timeutil import WIB
from plugins.bimtek import bodies, sessions, summary
from plugins.bimtek.blueprint import MANAGE, NAME, VIEW, bp
from plugins.bimtek.forms import SettingsForm
from plugins.bimtek.models import Level, Participant
from plugins.bimtek.views_participants import people_of
from plugins.bimtek.views_sessions import may, session_or_404

SHEET_PAGE = "bimtek/attendance_sheet.html"
REPORT_PAGE = "bimtek/report.html"
COVERAGE_PAGE = "bimtek/coverage.html"
SETTINGS_PAGE = "bimtek/settings.html"
CARD = "bimtek/card.html"
MAX_BLANK_ROWS = 50  # empty lines for people who come without an invitation


def wib_today() -> date:
    return datetime.now(UTC).astimezone(WIB).date()


def _printed_people(found: Any) -> dict[str, Any]:
    people = people_of(found, "")
    return {
        "people": people,
        "names": bodies.place_names(bodies.place_of(p) for p in people),
        "place_of": bodies.place_of,
    }


@bp.get("/<int:session_id>/daftar-hadir")
@requires(VIEW)
def attendance_sheet(session_id: int) -> Response:
    """The daftar hadir: every invited person with an empty signature
    column, plus blank lines up to the expected number of participants."""
    found = session_or_404(session_id)
    printed = _printed_people(found)
    blank = max(0, (found.expected_participants or 0) - len(printed["people"]))
    return render(
        SHEET_PAGE,
        found=found,
        blank_rows=min(blank, MAX_BLANK_ROWS),
        speakers=found.speakers,
        **printed,
    )


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
    return render(
        REPORT_PAGE,
        found=found,
        figures=sessions.figures_of(found),
        per_level=per_level,
        targets=bodies.summarise_targets(found.targets),
        share=summary.percent,
    )


@bp.get("/cakupan")
@requires(VIEW)
def coverage() -> Response:
    """Per kecamatan, the share of its PPK, PPS and KPPS that attended at
    least one session; with ``kecamatan``, the bodies of one never reached."""
    lines = summary.coverage_by_kecamatan(g.regency.id)
    total = sum((line.reach for line in lines), summary.Reach())
    chosen_id = request.args.get("kecamatan", "")
    chosen = next((line for line in lines if str(line.id) == chosen_id), None)
    if chosen_id and chosen is None:
        abort(404)
    return render(
        COVERAGE_PAGE,
        lines=lines,
        total=total,
        levels=list(Level),
        unreached_ppk=[line for line in lines if not line.reach.ppk_reached],
        unreached=summary.unreached_in(g.regency.id, chosen) if chosen else None,
    )


def _threshold() -> int:
    stored = plugin_settings(g.regency, NAME).get(summary.THRESHOLD_KEY)
    return stored if isinstance(stored, int) else summary.DEFAULT_THRESHOLD


@bp.route("/pengaturan", methods=["GET", "POST"])
@requires(VIEW, POST=MANAGE)
def settings() -> Response:
    """The attendance threshold of the readiness check: everyone sees it,
    only an operator (or admin) changes it."""
    can_manage = may(MANAGE)
    if request.method == "GET":
        form = SettingsForm(data={"attendance_threshold": _threshold()})
        return render(SETTINGS_PAGE, form=form, can_manage=can_manage, notice=None)
    if not can_manage:
        abort(403)
    form = SettingsForm()
    if not form.validate_on_submit():
        return render_invalid(SETTINGS_PAGE, form=form, can_manage=True, notice=None)
    stored = plugin_settings(g.regency, NAME)
    stored[summary.THRESHOLD_KEY] = form.attendance_threshold.data
    set_plugin_settings(g.regency, NAME, stored)
    db.session.commit()
    flash(f"Ambang kehadiran disimpan: {form.attendance_threshold.data}%.", "success")
    return done("bimtek.settings")


@bp.get("/kartu")
@requires(VIEW)
def card() -> Response:
    """The dashboard card: the next session, attendance over held sessions, coverage."""
    regency = g.regency
    return render(
        CARD,
        upcoming=summary.next_session(regency.id, wib_today()),
        held=summary.held_figures([regency.id]).get(regency.id, sessions.Figures()),
        reach=summary.coverage_by_regency([regency])[regency.id],
        threshold=_threshold(),
        levels=list(Level),
    )
