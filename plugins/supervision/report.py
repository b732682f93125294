"""The activity report (laporan kegiatan) as an office files it: a printable
page with the letterhead, each activity in full (bodies, team, purpose,
findings, recommendations, follow-ups, documents) and a signature block; and
the filters of a list in words, for the report's and the sheets' headings."""

from collections.abc import Sequence

from flask import Response, g
from flask_login import current_user
from sqlalchemy import select

from phpnet.extensions import db
from phpnet.htmx import render
from phpnet.regions.models import Kecamatan
from phpnet.teams.models import TeamMember, current_team
from phpnet.templating import tanggal
from plugins.supervision import clock
from plugins.supervision.exporter import now_line
from plugins.supervision.models import Activity
from plugins.supervision.queries import ActivityFilters, FollowUpFilters, follow_up_state

REPORT_PAGE = "supervision/report.html"


def _name(model: type[Kecamatan] | type[TeamMember], object_id: int) -> str:
    found = db.session.execute(
        select(model.name).where(model.id == object_id, model.regency_id == g.regency.id)
    ).scalar_one_or_none()
    return found or "(tidak dikenal)"


def describe_activities(filters: ActivityFilters) -> str:
    parts = []
    if filters.kind:
        parts.append(f"Jenis: {filters.kind.label}")
    if filters.level:
        parts.append(f"Lembaga: {filters.level.label}")
    if filters.kecamatan_id:
        parts.append(f"Kecamatan: {_name(Kecamatan, filters.kecamatan_id)}")
    if filters.status:
        parts.append(f"Status: {filters.status.label}")
    if filters.date_from:
        parts.append(f"Sejak {tanggal(filters.date_from)}")
    if filters.date_to:
        parts.append(f"Sampai {tanggal(filters.date_to)}")
    if filters.member_id:
        parts.append(f"Anggota tim: {_name(TeamMember, filters.member_id)}")
    return "; ".join(parts) if parts else "Semua kegiatan"


def describe_follow_ups(filters: FollowUpFilters) -> str:
    parts = []
    if filters.status:
        parts.append(f"Status: {filters.status.label}")
    if filters.kind:
        parts.append(f"Jenis kegiatan: {filters.kind.label}")
    if filters.owner_id:
        parts.append(f"Penanggung jawab: {_name(TeamMember, filters.owner_id)}")
    if filters.due_from:
        parts.append(f"Tenggat sejak {tanggal(filters.due_from)}")
    if filters.due_to:
        parts.append(f"Tenggat sampai {tanggal(filters.due_to)}")
    return "; ".join(parts) if parts else "Semua tindak lanjut"


def signer() -> str | None:
    """The chair of the team in force, who signs the report."""
    team = current_team(g.regency.id)
    if team is None:
        return None
    chairs = [m for m in team.members if m.position.value == "ketua"]
    return chairs[0].name if chairs else None


def report_page(
    activities: Sequence[Activity], *, single: bool = False, filter_line: str = "", **extra: object
) -> Response:
    today = clock.today()
    title = (
        f"Laporan Kegiatan {activities[0].kind.label}"
        if single
        else "Laporan Kegiatan Supervisi dan Pendampingan"
    )
    return render(
        REPORT_PAGE,
        regency=g.regency,
        title=title,
        activities=activities,
        single=single,
        filter_line=filter_line or now_line("Dicetak", current_user.full_name),
        state=lambda follow_up: follow_up_state(follow_up, today),
        today=today,
        signer=signer(),
        **extra,
    )
