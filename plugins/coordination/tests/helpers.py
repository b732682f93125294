"""Building coordination records directly, for tests that start from a
meeting rather than from its forms."""

from datetime import date
from typing import Any

from phpnet.plugin_api import OfficeUnit, Position, Regency, Team, TeamMember, db
from plugins.coordination.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendee,
    Body,
    Decision,
    InvitedBody,
    InvitedRegency,
    Level,
    Meeting,
    MeetingStatus,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def regency_meeting(regency: Regency, **values: Any) -> Meeting:
    meeting = Meeting(
        regency_id=regency.id, level=Level.KABKOTA, title=values.pop("title", "Rakor PPK"),
        held_on=values.pop("held_on", date(2024, 2, 5)), starts_at="09:00",
        venue=values.pop("venue", "Aula KPU"), status=values.pop("status", MeetingStatus.HELD),
        **values,
    )  # fmt: skip
    db.session.add(meeting)
    db.session.flush()
    return meeting


def province_meeting(regencies: list[Regency], **values: Any) -> Meeting:
    meeting = Meeting(
        regency_id=None, level=Level.PROVINSI, title=values.pop("title", "Rakor Provinsi"),
        held_on=values.pop("held_on", date(2024, 3, 20)), starts_at="13:00",
        venue=values.pop("venue", "Hotel Surabaya"),
        status=values.pop("status", MeetingStatus.SCHEDULED), **values,
    )  # fmt: skip
    db.session.add(meeting)
    db.session.flush()
    for regency in regencies:
        db.session.add(InvitedRegency(meeting_id=meeting.id, regency_id=regency.id))
    db.session.flush()
    return meeting


def invite_body(meeting: Meeting, body: Body = Body.PPK) -> InvitedBody:
    invited = InvitedBody(meeting_id=meeting.id, regency_id=meeting.regency_id, body=body)
    db.session.add(invited)
    db.session.flush()
    return invited


def agenda(meeting: Meeting, *titles: str) -> list[AgendaItem]:
    items = [
        AgendaItem(meeting_id=meeting.id, regency_id=meeting.regency_id, position=n, title=t)
        for n, t in enumerate(titles, start=1)
    ]
    db.session.add_all(items)
    db.session.flush()
    return items


def attendee(meeting: Meeting, regency: Regency | None, name: str, **values: Any) -> Attendee:
    person = Attendee(
        meeting_id=meeting.id, regency_id=regency.id if regency else None, name=name,
        office=values.pop("office", "KPU"), position=values.pop("position", "Anggota"), **values,
    )  # fmt: skip
    db.session.add(person)
    db.session.flush()
    return person


def decision(meeting: Meeting, text: str = "Setiap KPU menyiapkan alat bukti") -> Decision:
    found = Decision(meeting_id=meeting.id, regency_id=meeting.regency_id, text=text)
    db.session.add(found)
    db.session.flush()
    return found


def action(
    found: Decision,
    regency: Regency,
    due_on: date,
    status: ActionStatus = ActionStatus.OPEN,
    **values: Any,
) -> ActionItem:
    item = ActionItem(
        decision_id=found.id, meeting_id=found.meeting_id, regency_id=regency.id,
        description=values.pop("description", "Kumpulkan C.Hasil salinan"), due_on=due_on,
        status=status, **values,
    )  # fmt: skip
    db.session.add(item)
    db.session.flush()
    return item


def team_member(regency: Regency, name: str = "Siti Rahmawati") -> TeamMember:
    team = Team(
        regency_id=regency.id, sk_number="1/2024", sk_date=date(2024, 1, 2), signed_by="Ketua"
    )
    member = TeamMember(
        regency_id=regency.id, team=team, name=name, position=Position.KETUA,
        unit=OfficeUnit.DIVISI_HUKUM,
    )  # fmt: skip
    db.session.add_all([team, member])
    db.session.flush()
    return member
