"""The coordination plugin's part of the authorization matrix
(tests/test_authorization.py): the objects its routes need in each regency
(its own rakor, and a province rakor inviting it) and a valid request for
each route; how each route is guarded, the matrix reads from ``@requires``."""

from datetime import date
from typing import Any

from phpnet.plugin_api import Regency, db
from plugins.coordination.models import (
    ActionItem,
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


def _meeting(regency: Regency | None, document_id: int, **values: Any) -> Meeting:
    meeting = Meeting(
        regency_id=regency.id if regency else None,
        level=Level.KABKOTA if regency else Level.PROVINSI,
        held_on=date(2024, 3, 20), starts_at="09:00", venue="Aula", status=MeetingStatus.HELD,
        invitation_number="1/Und/2024", invitation_document_id=document_id, **values,
    )  # fmt: skip
    db.session.add(meeting)
    db.session.flush()
    return meeting


def _children(meeting: Meeting, owner: Regency, member_id: int | None) -> dict[str, Any]:
    item = AgendaItem(
        meeting_id=meeting.id, regency_id=meeting.regency_id, position=1, title="Alat bukti"
    )
    second = AgendaItem(
        meeting_id=meeting.id, regency_id=meeting.regency_id, position=2, title="Saksi"
    )
    decision = Decision(
        meeting_id=meeting.id, regency_id=meeting.regency_id, text="Kumpulkan bukti"
    )
    person = Attendee(
        meeting_id=meeting.id, regency_id=meeting.regency_id, name="Peserta Matriks",
        office="KPU", position="Anggota",
    )  # fmt: skip
    db.session.add_all([item, second, decision, person])
    db.session.flush()
    action = ActionItem(
        decision_id=decision.id, meeting_id=meeting.id, regency_id=owner.id,
        description="Unggah daftar bukti", owner_member_id=member_id, due_on=date(2024, 3, 27),
    )  # fmt: skip
    db.session.add(action)
    db.session.flush()
    return {"item": item.id, "decision": decision.id, "attendee": person.id, "action": action.id}


def build(regency: Regency, core: dict[str, Any]) -> dict[str, Any]:
    """The regency's own rakor with an invited PPK, and a province rakor
    inviting the regency, each with agenda, a decision, an action item and
    an attendee; the regency names a delegate to the province rakor."""
    own = _meeting(regency, core["document_id"], title=f"Rakor PPK {regency.slug}")
    body = InvitedBody(
        meeting_id=own.id, regency_id=regency.id, body=Body.PPK, kecamatan_id=core["kecamatan_id"]
    )
    db.session.add(body)
    mine = _children(own, regency, core["member_id"])
    rakor = _meeting(None, core["document_id"], title=f"Rakor Provinsi {regency.slug}")
    db.session.add(InvitedRegency(meeting_id=rakor.id, regency_id=regency.id))
    theirs = _children(rakor, regency, None)
    delegate = Attendee(
        meeting_id=rakor.id, regency_id=regency.id, name="Utusan Matriks", office="KPU",
        position="Divisi Hukum dan Pengawasan",
    )  # fmt: skip
    db.session.add(delegate)
    db.session.flush()
    return {
        "meeting_id": own.id, "agenda_id": mine["item"], "decision_id": mine["decision"],
        "attendee_id": mine["attendee"], "invitee_id": body.id, "action_id": mine["action"],
        "rakor_id": rakor.id, "rakor_agenda_id": theirs["item"],
        "rakor_decision_id": theirs["decision"], "rakor_attendee_id": theirs["attendee"],
        "delegate_id": delegate.id,
    }  # fmt: skip


def query(endpoint: str, ids: dict[str, Any]) -> dict[str, Any]:
    return {}


MEETING = {
    "title": "Rakor matriks", "held_on": "2024-03-20", "starts_at": "09:00",
    "venue": "Aula KPU", "status": "terjadwal",
}  # fmt: skip
PERSON = {"name": "Budi Santoso", "office": "PPK Kepanjen", "position": "Ketua PPK"}


def payload(endpoint: str, ids: dict[str, Any]) -> dict[str, Any]:
    side, _, name = endpoint.partition(".")
    province = side == "coordination_provinsi"
    decision = ids["rakor_decision_id" if province else "decision_id"]
    attendee = ids["rakor_attendee_id" if province else "attendee_id"]
    shared: dict[str, dict[str, Any]] = {
        "new_meeting": {**MEETING, "invite_all": "y"} if province else MEETING,
        "edit_meeting": {**MEETING, "version": "1", "invite_all": "y"},
        "add_agenda": {"title": "Penyusunan jawaban"},
        "move_agenda": {"arah": "turun"},
        "save_minutes": {"minutes": "Dibahas.", "version": "1"},
        "add_attendee": PERSON,
        "attendance": {"hadir": [str(attendee)]},
        "add_decision": {
            "text": "Semua menyerahkan bukti",
            "action": "Serahkan",
            "due_on": "2024-04-01",
        },
        "add_action": {f"d{decision}-action": "Unggah", f"d{decision}-due_on": "2024-04-01"},
        "add_body": {"body": "ppk", "kecamatan": str(ids["kecamatan_id"])},
        "add_delegate": PERSON,
        "action": {"status": "proses", "version": "1"},
    }
    return shared.get(name, {})
