"""The page of one meeting and everything edited on it, for both sides (a
regency's own meeting, and the province's meeting): agenda, minutes per
agenda item, attendees and their attendance, decisions with action items.

Each view is registered on both blueprints (see :func:`register`); the side
says which meetings exist there and who may edit. Every mutation is a plain
form post (303 to the meeting) that htmx turns into a swap of the part of
the page it changed."""

from collections.abc import Callable
from datetime import time
from functools import wraps
from typing import Any

from flask import Blueprint, Response, abort, flash, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from phpnet.documents.service import DocumentError, allowed_hint, store_document
from phpnet.extensions import db
from phpnet.htmx import done, is_htmx, render, render_invalid
from plugins.coordination import clock, meetings, places
from plugins.coordination.forms import (
    MAX_INTEGER,
    ActionForm,
    AgendaForm,
    AttendeeForm,
    DecisionForm,
    InvitedBodyForm,
    MeetingForm,
    MinutesForm,
)
from plugins.coordination.models import (
    ActionItem,
    AgendaItem,
    Attendee,
    Decision,
    InvitedBody,
    Meeting,
    MeetingStatus,
)
from plugins.coordination.sides import Side, side_context

DOCUMENT_KINDS = frozenset({"pdf", "jpeg", "png", "docx"})


def part(name: str) -> str:
    """A URL part for an id; ids beyond what the database holds are unknown (404)."""
    return f"<int(max={MAX_INTEGER}):{name}>"


MEETING, ITEM, DECISION, ATTENDEE = "{meeting_id}", "{item_id}", "{decision_id}", "{attendee_id}"


def user() -> Any:
    return current_user._get_current_object()


def action_form(decision_id: int, owners: Any, placeholder: str, **kwargs: Any) -> ActionForm:
    """The add-action form of one decision (prefixed: a page has one per decision)."""
    form = ActionForm(prefix=f"d{decision_id}", **kwargs)
    form.set_owners(owners, placeholder)
    return form


def meeting_context(side: Side, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    """Everything the meeting page (and each of its blocks) shows."""
    today = clock.today()
    agenda = meetings.agenda_of(meeting)
    decisions = meetings.decisions_of(meeting)
    owners, placeholder = side.owners(meeting)
    decision_form = extra.pop("decision_form", None) or DecisionForm(formdata=None)
    decision_form.set_options(
        [(i.id, f"{i.position}. {i.title}") for i in agenda], owners, placeholder
    )
    action_forms = {d.id: action_form(d.id, owners, placeholder, formdata=None) for d in decisions}
    action_forms.update(extra.pop("action_forms", {}))
    context = {
        **side_context(side),
        "meeting": meeting,
        "agenda": agenda,
        "attendees": meetings.attendees_of(meeting, side.regency.id if side.regency else None),
        "attendees_heading": "Peserta" if side.regency else "Peserta dari KPU Provinsi",
        "decisions": decisions,
        "progress": meetings.decision_progress(meeting, today),
        "today": today,
        "can_edit": side.may_edit(),
        "agenda_form": AgendaForm(formdata=None),
        "attendee_form": AttendeeForm(formdata=None),
        "decision_form": decision_form,
        "action_forms": action_forms,
        "minutes_errors": {},
        "minutes_draft": {},
        "minutes_conflict": {},
        "notice": None,
        "document_hint": allowed_hint(DOCUMENT_KINDS),
        "invitation_url": side.invitation_url(meeting),
    }
    if side.regency is None:
        context["lines"] = meetings.regency_lines(meeting, meetings.active_regencies())
    else:
        context["bodies"] = _bodies(meeting)
        body_form = extra.pop("body_form", None) or InvitedBodyForm(formdata=None)
        places.fill(body_form, side.regency.id)
        body_form.kecamatan.render_kw = {
            "hx-get": url_for("coordination.desa_options"), "hx-target": "#desa",
        }  # fmt: skip
        body_form.desa.render_kw = {
            "hx-get": url_for("coordination.tps_options"),
            "hx-target": "#tps",
        }
        context["body_form"] = body_form
    return {**context, **extra}


def _bodies(meeting: Meeting) -> list[InvitedBody]:
    return list(
        db.session.execute(
            select(InvitedBody)
            .options(
                joinedload(InvitedBody.kecamatan),
                joinedload(InvitedBody.desa),
                joinedload(InvitedBody.tps),
            )
            .filter_by(meeting_id=meeting.id)
            .order_by(InvitedBody.id)
        ).scalars()
    )


def saved(side: Side, meeting: Meeting, block: str, message: str) -> Response:
    """After a change: htmx gets the changed block with a notice, a plain post 303."""
    if is_htmx():
        context = meeting_context(side, meeting, notice=message)
        fragment = render_block(side.page, block, **context)
        return done(
            f"{side.endpoint}.view_meeting", fragment=fragment, **side.args(meeting_id=meeting.id)
        )
    flash(message, "success")
    return done(f"{side.endpoint}.view_meeting", **side.args(meeting_id=meeting.id))


def invalid(side: Side, meeting: Meeting, block: str, **forms: Any) -> Response:
    return render_invalid(side.page, block=block, **meeting_context(side, meeting, **forms))


# --- The page ----------------------------------------------------------------------------


def view_meeting(side: Side, meeting_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    extra = {}
    if side.regency is not None and "muat_pilihan" in request.args:
        # Without JavaScript, the body form reloads with the desa and TPS of its choices.
        extra["body_form"] = InvitedBodyForm(formdata=request.args, meta={"csrf": False})
    return render(side.page, **meeting_context(side, meeting, **extra))


def meeting_values(form: MeetingForm, side: Side) -> dict[str, Any]:
    """The meeting's columns from a valid form, with the uploaded invitation
    letter stored (raises DocumentError)."""
    values = form.column_values()
    if form.invitation_file.data:
        document = store_document(
            form.invitation_file.data, side.regency, user(), kinds=DOCUMENT_KINDS
        )
        db.session.flush()
        values["invitation_document_id"] = document.id
    return values


def conflict_changes(meeting: Meeting, form: MeetingForm) -> list[tuple[str, str, str]]:
    """What the stored meeting says now where it differs from what the user sent."""
    values = form.column_values()
    labels = {name: getattr(form, name).label.text for name in values}
    return [
        (labels[key], _shown(getattr(meeting, key)), _shown(value))
        for key, value in values.items()
        if getattr(meeting, key) != value
    ]


def _shown(value: Any) -> str:
    if value is None:
        return "-"
    return str(getattr(value, "label", value))


def edit_data(meeting: Meeting) -> dict[str, Any]:
    return {
        "title": meeting.title,
        "held_on": meeting.held_on,
        "starts_at": time.fromisoformat(meeting.starts_at),
        "ends_at": time.fromisoformat(meeting.ends_at) if meeting.ends_at else None,
        "venue": meeting.venue,
        "status": meeting.status.value,
        "invitation_number": meeting.invitation_number,
        "invitation_date": meeting.invitation_date,
        "version": meeting.version,
    }  # fmt: skip


def edit(
    side: Side,
    meeting: Meeting,
    page: str,
    make_form: Callable[..., MeetingForm],
    form_page: Callable[..., dict[str, Any]],
    data: dict[str, Any] | None = None,
    after_save: Callable[[Meeting, Any], None] | None = None,
) -> Response:
    """Edit a meeting of either side. A save over a newer version is refused
    with a 409 that lists what is stored now; the user's input stays."""
    if request.method == "GET":
        form = make_form(data={**edit_data(meeting), **(data or {})})
        return render(page, **form_page(form, meeting))
    form = make_form()
    if not form.validate_on_submit():
        return render_invalid(page, **form_page(form, meeting))
    if form.version.data != meeting.version:
        changes = conflict_changes(meeting, form)
        form.version.raw_data = [str(meeting.version)]
        form.version.data = meeting.version
        return render(page, status=409, **form_page(form, meeting, conflict=changes))
    try:
        values = meeting_values(form, side)
    except DocumentError as error:
        form.invitation_file.errors.append(error.message)
        return render(page, status=error.status, **form_page(form, meeting))
    for key, value in values.items():
        setattr(meeting, key, value)
    if after_save is not None:
        after_save(meeting, form)
    db.session.commit()
    flash(f"Rapat “{meeting.title}” disimpan.", "success")
    return done(f"{side.endpoint}.view_meeting", **side.args(meeting_id=meeting.id))


# --- Agenda and minutes ------------------------------------------------------------------


def add_agenda(side: Side, meeting_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    form = AgendaForm()
    if not form.validate_on_submit():
        return invalid(side, meeting, "agenda", agenda_form=form)
    item = meetings.add_agenda_item(meeting, form.title.data)
    db.session.commit()
    return saved(side, meeting, "agenda", f"Mata acara “{item.title}” ditambahkan.")


def remove_agenda(side: Side, meeting_id: int, item_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    item = meetings.child_or_404(AgendaItem, meeting, item_id)
    title = item.title
    meetings.remove_agenda_item(meeting, item)
    db.session.commit()
    return saved(side, meeting, "agenda", f"Mata acara “{title}” dihapus.")


def move_agenda(side: Side, meeting_id: int, item_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    item = meetings.child_or_404(AgendaItem, meeting, item_id)
    direction = request.form.get("arah")
    if direction not in ("naik", "turun"):
        abort(400)
    meetings.move_agenda_item(meeting, item, up=direction == "naik")
    db.session.commit()
    return saved(side, meeting, "agenda", f"Urutan mata acara “{item.title}” diubah.")


def save_minutes(side: Side, meeting_id: int, item_id: int) -> Response:
    """The minutes of one agenda item; a save over someone else's newer one is
    refused (409) with their text shown, and the user's text kept."""
    meeting = side.meeting(meeting_id)
    item = meetings.child_or_404(AgendaItem, meeting, item_id)
    form = MinutesForm()
    if not form.validate_on_submit():
        errors = {item.id: [e for errs in form.errors.values() for e in errs]}
        return invalid(
            side,
            meeting,
            "agenda",
            minutes_errors=errors,
            minutes_draft={item.id: form.minutes.data},
        )
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
    return saved(side, meeting, "agenda", f"Notulen “{item.title}” disimpan.")


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
    return saved(side, meeting, "attendees", f"Peserta {attendee.name} ditambahkan.")


def remove_attendee(side: Side, meeting_id: int, attendee_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    attendee = meetings.child_or_404(Attendee, meeting, attendee_id)
    if attendee.regency_id != meeting.regency_id:
        abort(404)  # a regency's own attendee of a province meeting is the regency's to remove
    name = attendee.name
    db.session.delete(attendee)
    db.session.commit()
    return saved(side, meeting, "attendees", f"Peserta {name} dihapus.")


ATTENDANCE_PAGE = "coordination/attendance.html"


def attendance(side: Side, meeting_id: int) -> Response:
    """Take attendance: every expected person of the meeting, ticked if present."""
    meeting = side.meeting(meeting_id)
    people = meetings.attendees_of(meeting, all_sides=True)
    if request.method == "POST":
        side.check_edit()
        present = set(request.form.getlist("hadir"))
        for person in people:
            person.present = str(person.id) in present
        if meeting.status is MeetingStatus.SCHEDULED and present:
            meeting.status = MeetingStatus.HELD
        db.session.commit()
        flash(
            f"Daftar hadir disimpan: {len(present & {str(p.id) for p in people})} orang hadir.",
            "success",
        )
        return done(f"{side.endpoint}.attendance", **side.args(meeting_id=meeting.id))
    regencies = {r.id: r for r in meetings.active_regencies()} if side.regency is None else {}
    return render(
        ATTENDANCE_PAGE, **side_context(side), meeting=meeting, people=people,
        regencies=regencies, can_edit=side.may_edit(),
    )  # fmt: skip


# --- Decisions and action items ------------------------------------------------------------


def add_decision(side: Side, meeting_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    form = DecisionForm()
    owners, placeholder = side.owners(meeting)
    form.set_options([(i.id, i.title) for i in meetings.agenda_of(meeting)], owners, placeholder)
    if not form.validate_on_submit():
        return invalid(side, meeting, "decisions", decision_form=form)
    decision = Decision(
        meeting_id=meeting.id, regency_id=meeting.regency_id,
        agenda_item_id=form.agenda_item.data, text=form.text.data,
    )  # fmt: skip
    db.session.add(decision)
    created = 0
    if form.action.data:
        created = _add_actions(
            side, meeting, decision, form.action.data, form.owner.data, form.due_on.data
        )
    db.session.commit()
    extra = f" dengan {created} tindak lanjut" if created else ""
    return saved(side, meeting, "decisions", f"Keputusan dicatat{extra}.")


def _add_actions(
    side: Side, meeting: Meeting, decision: Decision, text: str, owner: int | None, due_on: Any
) -> int:
    """One action item, or for the province without a chosen regency, one for
    every invited regency."""
    if side.regency is not None:
        targets = [(side.regency.id, owner)]
    elif owner is not None:
        targets = [(owner, None)]
    else:
        targets = [(r.id, None) for r in meetings.invited_regencies(meeting)]
    for regency_id, member_id in targets:
        decision.actions.append(
            ActionItem(
                meeting_id=meeting.id,
                regency_id=regency_id,
                description=text,
                owner_member_id=member_id,
                due_on=due_on,
            )
        )
    return len(targets)


def add_action(side: Side, meeting_id: int, decision_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    decision = meetings.child_or_404(Decision, meeting, decision_id)
    form = action_form(decision.id, *side.owners(meeting))
    if not form.validate_on_submit():
        context = meeting_context(side, meeting, action_forms={decision.id: form})
        return render_invalid(side.page, block="decisions", **context)
    created = _add_actions(
        side, meeting, decision, form.action.data, form.owner.data, form.due_on.data
    )
    db.session.commit()
    return saved(side, meeting, "decisions", f"{created} tindak lanjut ditambahkan.")


def remove_decision(side: Side, meeting_id: int, decision_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    decision = meetings.child_or_404(Decision, meeting, decision_id)
    if any(a.evidence_document_id for a in decision.actions):
        notice = "Keputusan ini tidak dapat dihapus: ada tindak lanjut yang sudah berbukti."
        context = meeting_context(side, meeting, notice=notice)
        return render(side.page, block="decisions", status=409, **context)
    db.session.delete(decision)
    db.session.commit()
    return saved(side, meeting, "decisions", "Keputusan dihapus.")


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


def side_rule(side: Side, rule: str) -> str:
    """``/{meeting_id}/agenda`` with the side's names for the ids."""
    return rule.format(**{key: part(name) for key, name in side.names.items()})


def bound(side: Side, view: Callable[..., Response]) -> Callable[..., Response]:
    """``view`` for ``side``, called with the ids under the views' own names."""
    inverse = {name: key for key, name in side.names.items()}

    @wraps(view)
    def call(**values: Any) -> Response:
        return view(side, **{inverse.get(key, key): value for key, value in values.items()})

    return call
