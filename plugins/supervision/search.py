"""What the supervision plugin gives core's regency pages: hits of the
regency search, and the tables core streams as CSV on the export page."""

from collections.abc import Iterator, Sequence

from flask import url_for
from sqlalchemy import or_, select

from phpnet.plugin_api import Kecamatan, Regency, SearchResult, TeamMember, db, today_wib
from plugins.supervision.filters import ActivityFilters
from plugins.supervision.models import Activity, Body, Finding, FollowUp
from plugins.supervision.queries import filtered_activities, with_details


def search(regency_id: int, query: str, limit: int) -> list[SearchResult]:
    with_finding = select(Finding.activity_id).where(
        Finding.regency_id == regency_id, Finding.description.icontains(query, autoescape=True)
    )
    in_kecamatan = (
        select(Body.activity_id)
        .join(Kecamatan, Kecamatan.id == Body.kecamatan_id)
        .where(Body.regency_id == regency_id, Kecamatan.name.icontains(query, autoescape=True))
    )
    activities = db.session.execute(
        select(Activity)
        .where(
            Activity.regency_id == regency_id,
            or_(
                Activity.purpose.icontains(query, autoescape=True),
                Activity.recommendations.icontains(query, autoescape=True),
                Activity.id.in_(with_finding),
                Activity.id.in_(in_kecamatan),
            ),
        )
        .order_by(Activity.started_on.desc(), Activity.id.desc())
        .limit(limit)
    ).scalars()
    return [
        SearchResult(
            f"{activity.kind.label}: {activity.purpose[:80]}",
            url_for("supervision.activity", activity_id=activity.id),
            activity.started_on.strftime("%d-%m-%Y"),
            activity.kind.label,
        )
        for activity in activities
    ]


ACTIVITY_COLUMNS = (
    "Nomor kegiatan", "Jenis", "Tanggal mulai", "Tanggal selesai", "Lembaga", "Tim",
    "Maksud dan tujuan", "Jumlah temuan", "Rekomendasi",
)  # fmt: skip
FOLLOW_UP_COLUMNS = (
    "Nomor", "Nomor kegiatan", "Jenis kegiatan", "Tindak lanjut", "Penanggung jawab",
    "Tenggat", "Status", "Tanggal selesai", "Keterangan",
)  # fmt: skip


def export_activities(regency: Regency) -> Iterator[Sequence[object]]:
    everything = ActivityFilters()
    statement = with_details(filtered_activities(regency.id, everything, today_wib()))
    for activity in db.session.execute(statement).scalars():
        yield (
            activity.id, activity.kind.label, activity.started_on.isoformat(),
            activity.ended_on.isoformat(), "; ".join(b.label for b in activity.bodies),
            "; ".join(m.team_member.name for m in activity.members), activity.purpose,
            len(activity.findings), activity.recommendations or "",
        )  # fmt: skip


def export_follow_ups(regency: Regency) -> Iterator[Sequence[object]]:
    today = today_wib()
    rows = (
        db.session.execute(
            select(FollowUp, Activity.kind, TeamMember.name)
            .join(Activity, Activity.id == FollowUp.activity_id)
            .outerjoin(TeamMember, TeamMember.id == FollowUp.owner_id)
            .where(FollowUp.regency_id == regency.id)
            .order_by(FollowUp.due_on, FollowUp.id)
        )
        .tuples()
        .all()
    )
    for follow_up, kind, owner in rows:
        state = follow_up.state_on(today).label
        yield (
            follow_up.id, follow_up.activity_id, kind.label, follow_up.action, owner or "",
            follow_up.due_on.isoformat(), state,
            follow_up.done_on.isoformat() if follow_up.done_on else "", follow_up.done_note or "",
        )  # fmt: skip
