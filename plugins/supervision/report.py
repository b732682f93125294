"""The printed reports as an office files them (core's print page: its
letterhead and signature block): the activity report (laporan kegiatan),
each activity in full (bodies, team, purpose, findings, recommendations,
follow-ups, documents), and the report of follow-ups."""

from collections.abc import Sequence
from typing import Any

from flask import Response, g
from flask_login import current_user

from phpnet.plugin_api import Position, current_team, render, today_wib
from plugins.supervision.exporter import now_line
from plugins.supervision.models import Activity, FollowUp

REPORT_PAGE = "supervision/report.html"
FOLLOW_UPS_PRINT = "supervision/follow_ups_print.html"


def signer() -> str | None:
    """The chair of the team in force, who signs the report."""
    team = current_team(g.regency.id)
    if team is None:
        return None
    chairs = [m for m in team.members if m.position is Position.KETUA]
    return chairs[0].name if chairs else None


def _whole(template: str, **context: Any) -> Response:
    # A print page is always whole (letterhead included): it has no fragment for htmx.
    return render(template, block=None, **context)


def _print_context() -> dict[str, Any]:
    today = today_wib()
    return {
        "regency": g.regency,
        "place": g.regency.short_name,
        "signer": signer(),
        "today": today,
        "state": lambda follow_up: follow_up.state_on(today),
    }


def report_page(
    activities: Sequence[Activity], *, single: bool = False, filter_line: str = "", **extra: Any
) -> Response:
    title = (
        f"Laporan Kegiatan {activities[0].kind.label}"
        if single
        else "Laporan Kegiatan Supervisi dan Pendampingan"
    )
    return _whole(
        REPORT_PAGE,
        title=title,
        activities=activities,
        single=single,
        filter_line=filter_line or now_line("Dicetak", current_user.full_name),
        **_print_context(),
        **extra,
    )


def follow_ups_page(follow_ups: Sequence[FollowUp], filter_line: str, **extra: Any) -> Response:
    return _whole(
        FOLLOW_UPS_PRINT,
        follow_ups=follow_ups,
        filter_line=filter_line,
        **_print_context(),
        **extra,
    )
