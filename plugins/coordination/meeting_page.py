"""The page of one meeting, for both sides: what it shows (and each of its
blocks, which htmx swaps after a change), and editing the meeting itself
with its invitation letter, refusing a save over a newer version."""

from collections.abc import Callable
from datetime import time
from typing import Any

from flask import Response, request

from phpnet.plugin_api import (
    DocumentError,
    current_account,
    db,
    fill_place_fields,
    render,
    render_invalid,
    saved,
    store_document,
    today_wib,
)
from plugins.coordination import meetings, progress
from plugins.coordination.blueprint import DOCUMENT_KINDS, document_hint
from plugins.coordination.forms import (
    ActionForm,
    AgendaForm,
    AttendeeForm,
    Choices,
    DecisionForm,
    InvitedBodyForm,
    MeetingForm,
    owner_choices,
)
from plugins.coordination.models import Meeting
from plugins.coordination.sides import Side, side_context


def action_form(decision_id: int, owners: tuple[Choices, str], **kwargs: Any) -> ActionForm:
    """The add-action form of one decision (prefixed: a page has one per
    decision); ``owners`` as ``Side.owners`` gives them."""
    form = ActionForm(prefix=f"d{decision_id}", **kwargs)
    form.owner.choices = owner_choices(*owners)
    return form


def decision_form(meeting: Meeting, owners: tuple[Choices, str], **kwargs: Any) -> DecisionForm:
    form = DecisionForm(**kwargs)
    agenda = [(i.id, f"{i.position}. {i.title}") for i in meetings.agenda_of(meeting)]
    form.set_options(agenda, *owners)
    return form


def body_form(side: Side, **kwargs: Any) -> InvitedBodyForm:
    """The form inviting an ad hoc body; no place chosen means all of them."""
    form = InvitedBodyForm(**kwargs)
    fill_place_fields(form, side.regency.id, any_place=True)
    return form


def meeting_context(side: Side, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    """Everything the meeting page (and each of its blocks) shows; ``extra``
    overrides it (a form with its errors, a notice)."""
    decisions = meetings.decisions_of(meeting)
    owners = side.owners(meeting)
    action_forms = {d.id: action_form(d.id, owners, formdata=None) for d in decisions}
    action_forms.update(extra.pop("action_forms", {}))
    context = {
        **side_context(side),
        "meeting": meeting,
        "agenda": meetings.agenda_of(meeting),
        "attendees": meetings.attendees_of(meeting, side.regency.id if side.regency else None),
        "attendees_heading": "Peserta" if side.regency else "Peserta dari KPU Provinsi",
        "decisions": decisions,
        "progress": progress.decision_progress(meeting, today_wib()),
        "today": today_wib(),
        "can_edit": side.may_edit(),
        "agenda_form": AgendaForm(formdata=None),
        "attendee_form": AttendeeForm(formdata=None),
        "decision_form": decision_form(meeting, owners, formdata=None),
        "action_forms": action_forms,
        "document_hint": document_hint(),
        "invitation_url": side.invitation_url(meeting),
    }
    if side.regency is None:
        context["lines"] = progress.regency_lines(meeting, meetings.active_regencies())
    else:
        context["bodies"] = meetings.bodies_of(meeting)
        context["body_form"] = body_form(side, formdata=None)
    return {**context, **extra}


def meeting_saved(side: Side, meeting: Meeting, block: str, message: str) -> Response:
    """After a change: htmx gets the changed block with a notice, a plain post 303."""
    return saved(
        message,
        f"{side.endpoint}.view_meeting",
        template=side.page,
        block=block,
        context=lambda: meeting_context(side, meeting),
        **side.args(meeting_id=meeting.id),
    )


def invalid(side: Side, meeting: Meeting, block: str, **forms: Any) -> Response:
    return render_invalid(side.page, block=block, **meeting_context(side, meeting, **forms))


def view_meeting(side: Side, meeting_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    extra = {}
    if side.regency is not None and "muat_pilihan" in request.args:
        # Without JavaScript, the body form reloads with the desa and TPS of its choices.
        extra["body_form"] = body_form(side, formdata=request.args, meta={"csrf": False})
    return render(side.page, **meeting_context(side, meeting, **extra))


# --- Editing a meeting --------------------------------------------------------------------


def meeting_values(form: MeetingForm, side: Side) -> dict[str, Any]:
    """The meeting's columns from a valid form, with the uploaded invitation
    letter stored (raises DocumentError)."""
    values = form.column_values()
    if form.invitation_file.data:
        document = store_document(
            form.invitation_file.data, side.regency, current_account(), kinds=DOCUMENT_KINDS
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
    }


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
    return saved(
        f"Rapat “{meeting.title}” disimpan.",
        f"{side.endpoint}.view_meeting",
        **side.args(meeting_id=meeting.id),
    )
