"""What is edited on a meeting's page, for both sides (a regency's own
meeting, and the province's meeting): agenda, minutes per agenda item,
attendees and their attendance, decisions with action items.

Each view is registered on both blueprints (see :func:`register`); the side
says which meetings exist there and who may edit. Every mutation is a plain
form post (303 to the meeting) that htmx turns into a swap of the part of
the page it changed."""

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, request

from phpnet.plugin_api import db, render, render_invalid, saved
from plugins.coordination import changes, meetings
from plugins.coordination.forms import AgendaForm, AttendeeForm, MinutesForm
from plugins.coordination.meeting_page import (
    action_form,
    decision_form,
    invalid,
    meeting_context,
    meeting_saved,
    view_meeting,
)
from plugins.coordination.models import AgendaItem, Attendee, Decision, MeetingStatus
from plugins.coordination.sides import Side, bound, side_context, side_rule

MEETING, ITEM, DECISION, ATTENDEE = "{meeting_id}", "{item_id}", "{decision_id}", "{attendee_id}"
ATTENDANCE_PAGE = "coordination/attendance.html"

# --- Agenda and minutes ------------------------------------------------------------------


def add_agenda(side: Side, meeting_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    form = AgendaForm()
    if not form.validate_on_submit():
        return invalid(side, meeting, "agenda", agenda_form=form)
    item = changes.add_agenda_item(meeting, form.title.data)
    db.session.commit()
    return meeting_saved(side, meeting, "agenda", f"Mata acara “{item.title}” ditambahkan.")


def remove_agenda(side: Side, meeting_id: int, item_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    item = meetings.child_or_404(AgendaItem, meeting, item_id)
    title = item.title
    changes.remove_agenda_item(meeting, item)
    db.session.commit()
    return meeting_saved(side, meeting, "agenda", f"Mata acara “{title}” dihapus.")


def move_agenda(side: Side, meeting_id: int, item_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    item = meetings.child_or_404(AgendaItem, meeting, item_id)
    direction = request.form.get("arah")
    if direction not in ("naik", "turun"):
        abort(400)
    changes.move_agenda_item(meeting, item, up=direction == "naik")
    db.session.commit()
    return meeting_saved(side, meeting, "agenda", f"Urutan mata acara “{item.title}” diubah.")


def save_minutes(side: Side, meeting_id: int, item_id: int) -> Response:
    """The minutes of one agenda item; a save over someone else's newer one is
    refused (409) with their text shown, and the user's text kept."""
    meeting = side.meeting(meeting_id)
    item = meetings.child_or_404(AgendaItem, meeting, item_id)
    form = MinutesForm()
    if not form.validate_on_submit():
        errors = {item.id: [e for errs in form.errors.values() for e in errs]}
        return invalid(
            side, meeting, "agenda",
            minutes_errors=errors, minutes_draft={item.id: form.minutes.data},
        )  # fmt: skip
    if form.version.data != item.version:
        context = meeting_context(
            side, meeting,
            minutes_conflict={item.id: item.minutes or ""},
            minutes_draft={item.id: form.minutes.data},
        )  # fmt: skip
        return render(side.page, block="agenda", status=409, **context)
    item.minutes = form.minutes.data or None
    if meeting.status is MeetingStatus.SCHEDULED:
        meeting.status = MeetingStatus.HELD  # minutes are written of a meeting that took place
    db.session.commit()
    return meeting_saved(side, meeting, "agenda", f"Notulen “{item.title}” disimpan.")


# --- Attendees and attendance ------------------------------------------------------------


def add_attendee(side: Side, meeting_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    form = AttendeeForm()
    if not form.validate_on_submit():
        return invalid(side, meeting, "attendees", attendee_form=form)
    attendee = Attendee(
        meeting_id=meeting.id, regency_id=meeting.regency_id, name=form.name.data,
        office=form.office.data, position=form.position.data,
    )  # fmt: skip
    db.session.add(attendee)
    db.session.commit()
    return meeting_saved(side, meeting, "attendees", f"Peserta {attendee.name} ditambahkan.")


def remove_attendee(side: Side, meeting_id: int, attendee_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    attendee = meetings.child_or_404(Attendee, meeting, attendee_id)
    if attendee.regency_id != meeting.regency_id:
        abort(404)  # a regency's own attendee of a province meeting is the regency's to remove
    name = attendee.name
    db.session.delete(attendee)
    db.session.commit()
    return meeting_saved(side, meeting, "attendees", f"Peserta {name} dihapus.")


def attendance(side: Side, meeting_id: int) -> Response:
    """Take attendance: every expected person of the meeting, ticked if present."""
    meeting = side.meeting(meeting_id)
    people = meetings.attendees_of(meeting, all_sides=True)
    if request.method == "POST":
        present = set(request.form.getlist("hadir"))
        for person in people:
            person.present = str(person.id) in present
        if meeting.status is MeetingStatus.SCHEDULED and present:
            meeting.status = MeetingStatus.HELD
        db.session.commit()
        count = len(present & {str(p.id) for p in people})
        return saved(
            f"Daftar hadir disimpan: {count} orang hadir.",
            f"{side.endpoint}.attendance",
            **side.args(meeting_id=meeting.id),
        )
    regencies = {r.id: r for r in meetings.active_regencies()} if side.regency is None else {}
    return render(
        ATTENDANCE_PAGE, **side_context(side), meeting=meeting, people=people,
        regencies=regencies, can_edit=side.may_edit(),
    )  # fmt: skip


# --- Decisions and action items ------------------------------------------------------------


def add_decision(side: Side, meeting_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    form = decision_form(meeting, side.owners(meeting))
    if not form.validate_on_submit():
        return invalid(side, meeting, "decisions", decision_form=form)
    decision = Decision(
        meeting_id=meeting.id, regency_id=meeting.regency_id,
        agenda_item_id=form.agenda_item.data, text=form.text.data,
    )  # fmt: skip
    db.session.add(decision)
    created = 0
    if form.action.data:
        owners = side.action_owners(meeting, form.owner.data)
        created = changes.add_actions(decision, form.action.data, form.due_on.data, owners)
    db.session.commit()
    extra = f" dengan {created} tindak lanjut" if created else ""
    return meeting_saved(side, meeting, "decisions", f"Keputusan dicatat{extra}.")


def add_action(side: Side, meeting_id: int, decision_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    decision = meetings.child_or_404(Decision, meeting, decision_id)
    form = action_form(decision.id, side.owners(meeting))
    if not form.validate_on_submit():
        context = meeting_context(side, meeting, action_forms={decision.id: form})
        return render_invalid(side.page, block="decisions", **context)
    owners = side.action_owners(meeting, form.owner.data)
    created = changes.add_actions(decision, form.action.data, form.due_on.data, owners)
    db.session.commit()
    return meeting_saved(side, meeting, "decisions", f"{created} tindak lanjut ditambahkan.")


def remove_decision(side: Side, meeting_id: int, decision_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    decision = meetings.child_or_404(Decision, meeting, decision_id)
    if any(a.evidence_document_id for a in decision.actions):
        notice = "Keputusan ini tidak dapat dihapus: ada tindak lanjut yang sudah berbukti."
        context = meeting_context(side, meeting, notice=notice)
        return render(side.page, block="decisions", status=409, **context)
    db.session.delete(decision)
    db.session.commit()
    return meeting_saved(side, meeting, "decisions", "Keputusan dihapus.")


# --- Registration on both blueprints ------------------------------------------------------


Guard = Callable[[Callable[..., Any]], Callable[..., Any]]
# What a route does: reads, edits, or reads on GET and edits on POST.
READS, EDITS, POST_EDITS = "reads", "edits", "post edits"
GUARDED = (READS, EDITS, POST_EDITS)
ROUTES: list[tuple[str, str, Callable[..., Response], list[str], str]] = [
    # (rule, endpoint, view, methods, what it does)
    (f"/{MEETING}", "view_meeting", view_meeting, ["GET"], READS),
    (f"/{MEETING}/agenda", "add_agenda", add_agenda, ["POST"], EDITS),
    (f"/{MEETING}/agenda/{ITEM}/hapus", "remove_agenda", remove_agenda, ["POST"], EDITS),
    (f"/{MEETING}/agenda/{ITEM}/pindah", "move_agenda", move_agenda, ["POST"], EDITS),
    (f"/{MEETING}/agenda/{ITEM}/notulen", "save_minutes", save_minutes, ["POST"], EDITS),
    (f"/{MEETING}/peserta", "add_attendee", add_attendee, ["POST"], EDITS),
    (f"/{MEETING}/peserta/{ATTENDEE}/hapus", "remove_attendee", remove_attendee, ["POST"], EDITS),
    (f"/{MEETING}/kehadiran", "attendance", attendance, ["GET", "POST"], POST_EDITS),
    (f"/{MEETING}/keputusan", "add_decision", add_decision, ["POST"], EDITS),
    (f"/{MEETING}/keputusan/{DECISION}/tindak-lanjut", "add_action", add_action, ["POST"], EDITS),
    (f"/{MEETING}/keputusan/{DECISION}/hapus", "remove_decision", remove_decision, ["POST"], EDITS),
]


def register(bp: Blueprint, side: Side, guards: dict[str, Guard]) -> None:
    """Mount the shared meeting views on ``bp`` for ``side``, each behind the
    guard of what it does (``READS``, ``EDITS``, ``POST_EDITS``)."""
    for rule, endpoint, view, methods, does in ROUTES:
        bp.add_url_rule(
            side_rule(side, rule), endpoint, guards[does](bound(side, view)), methods=methods
        )
