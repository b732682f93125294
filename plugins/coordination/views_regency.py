"""A regency's pages (/r/<code>/coordination/): its meetings and the province
meetings it is invited to, its own meetings' invited ad hoc bodies, its
confirmation of who attends a province meeting, and its action items (its
own and the province's addressed to it), closed with a document."""

from typing import Any

from flask import Response, abort, flash, g, make_response, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from phpnet.documents.service import DocumentError, store_document
from phpnet.extensions import db
from phpnet.htmx import done, is_htmx, render, render_invalid
from phpnet.plugin_system.permissions import has_permission, requires
from phpnet.timeutil import utcnow
from plugins.coordination import clock, documents, meetings, outputs, places, summary, views_meeting
from plugins.coordination.blueprint import EDIT, MANAGE, VIEW, bp
from plugins.coordination.forms import (
    ActionUpdateForm,
    AttendeeForm,
    InvitedBodyForm,
    MeetingForm,
    optional_id,
)
from plugins.coordination.models import (
    ActionItem,
    ActionStatus,
    Attendee,
    Body,
    InvitedBody,
    Meeting,
)
from plugins.coordination.queries import ActionFilters, action_items
from plugins.coordination.sides import REGENCY, side_context
from plugins.coordination.views_meeting import meeting_values, part, user

LIST_PAGE = "coordination/index.html"
FORM_PAGE = "coordination/meeting_form.html"
INVITED_PAGE = "coordination/invited.html"
ACTIONS_PAGE = "coordination/actions.html"
ACTION_PAGE = "coordination/action.html"
CARD = "coordination/card.html"
PER_PAGE = 25
MEETING = part("meeting_id")
INVITEE = part("invitee_id")
RAKOR = part("rakor_id")  # a province meeting the regency is invited to
DELEGATE = part("delegate_id")  # someone the regency sends to it
ACTION = part("action_id")

views_meeting.register(
    bp,
    REGENCY,
    {
        views_meeting.READS: requires(VIEW),
        views_meeting.EDITS: requires(EDIT),
        views_meeting.POST_EDITS: requires(VIEW, POST=EDIT),
    },
)
outputs.register(bp, REGENCY, requires(VIEW))


def _may(permission: str) -> bool:
    return has_permission(current_user, g.regency, permission)


# --- The list ------------------------------------------------------------------------


@bp.get("/")
@requires(VIEW)
def index() -> Response:
    filters = meetings.MeetingFilters.from_args(request.args)
    page = db.paginate(
        meetings.regency_meetings(g.regency.id, filters),
        page=request.args.get("halaman", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    rows = list(page.items)
    return render(
        LIST_PAGE,
        block="results",
        page=page,
        meetings_page=rows,
        filters=filters,
        open_actions=meetings.open_action_counts([m.id for m in rows], g.regency.id),
        confirmed=_confirmations([m.id for m in rows if m.regency_id is None]),
        can_edit=_may(EDIT),
        today=clock.today(),
    )


def _confirmations(meeting_ids: list[int]) -> dict[int, bool]:
    if not meeting_ids:
        return {}
    rows = db.session.execute(
        select(meetings.InvitedRegency.meeting_id, meetings.InvitedRegency.confirmed_at).where(
            meetings.InvitedRegency.regency_id == g.regency.id,
            meetings.InvitedRegency.meeting_id.in_(meeting_ids),
        )
    ).tuples()
    return {meeting_id: confirmed is not None for meeting_id, confirmed in rows}


# --- Creating and editing a meeting of the regency ------------------------------------------


def _form_page(form: MeetingForm, meeting: Meeting | None = None, **extra: Any) -> dict[str, Any]:
    return {
        **side_context(REGENCY), "form": form, "meeting": meeting, "conflict": None,
        "document_hint": views_meeting.allowed_hint(views_meeting.DOCUMENT_KINDS), **extra,
    }  # fmt: skip


@bp.route("/baru", methods=["GET", "POST"])
@requires(EDIT)
def new_meeting() -> Response:
    form = MeetingForm()
    if request.method == "GET":
        return render(FORM_PAGE, **_form_page(form))
    if not form.validate_on_submit():
        return render_invalid(FORM_PAGE, **_form_page(form))
    try:
        values = meeting_values(form, REGENCY)
    except DocumentError as error:
        form.invitation_file.errors.append(error.message)
        return render(FORM_PAGE, status=error.status, **_form_page(form))
    meeting = meetings.create_meeting(values, g.regency, user())
    db.session.commit()
    flash(f"Rapat “{meeting.title}” dicatat. Susun mata acara dan undang badan ad hoc.", "success")
    return done("coordination.view_meeting", meeting_id=meeting.id)


@bp.route(f"/{MEETING}/ubah", methods=["GET", "POST"])
@requires(EDIT)
def edit_meeting(meeting_id: int) -> Response:
    meeting = REGENCY.meeting(meeting_id)
    return views_meeting.edit(REGENCY, meeting, FORM_PAGE, MeetingForm, _form_page)


# --- Invited ad hoc bodies ----------------------------------------------------------------


@bp.post(f"/{MEETING}/badan")
@requires(EDIT)
def add_body(meeting_id: int) -> Response:
    meeting = REGENCY.meeting(meeting_id)
    form = InvitedBodyForm()
    places.fill(form, g.regency.id)
    valid = form.validate_on_submit()
    place = places.resolve(form, g.regency.id) if valid else None
    if place is None:
        return views_meeting.invalid(REGENCY, meeting, "bodies", body_form=form)
    body = InvitedBody(
        regency_id=g.regency.id, meeting_id=meeting.id, body=Body(form.body.data),
        kecamatan_id=place.kecamatan_id, desa_id=place.desa_id, tps_id=place.tps_id,
    )  # fmt: skip
    db.session.add(body)
    db.session.commit()
    return views_meeting.saved(REGENCY, meeting, "bodies", f"{body.label} diundang.")


@bp.post(f"/{MEETING}/badan/{INVITEE}/hapus")
@requires(EDIT)
def remove_body(meeting_id: int, invitee_id: int) -> Response:
    meeting = REGENCY.meeting(meeting_id)
    body = meetings.child_or_404(InvitedBody, meeting, invitee_id)
    label = body.label
    db.session.delete(body)
    db.session.commit()
    return views_meeting.saved(REGENCY, meeting, "bodies", f"Undangan {label} dibatalkan.")


def _id_arg(name: str) -> int | None:
    try:
        return optional_id(request.args.get(name))
    except ValueError:
        return None


def _options(choices: Any, placeholder: str) -> Response:
    body = render_template("coordination/_options.html", choices=choices, placeholder=placeholder)
    return make_response(body)


@bp.get("/pilihan/desa")
@requires(VIEW)
def desa_options() -> Response:
    choices = places.desa(g.regency.id, _id_arg("kecamatan"))
    return _options(choices, "— semua desa/kelurahan —")


@bp.get("/pilihan/tps")
@requires(VIEW)
def tps_options() -> Response:
    return _options(places.tps(g.regency.id, _id_arg("desa")), "— semua TPS —")


# --- A province meeting the regency is invited to ---------------------------------------------


def _invited_context(invitation: Any, **extra: Any) -> dict[str, Any]:
    meeting = db.session.get(Meeting, invitation.meeting_id)
    return {
        "meeting": meeting,
        "invitation": invitation,
        "agenda": meetings.agenda_of(meeting),
        "attendees": meetings.attendees_of(meeting, g.regency.id),
        "decisions": meetings.decisions_of(meeting, g.regency.id),
        "attendee_form": AttendeeForm(formdata=None, office=f"KPU {g.regency.name}"),
        "can_manage": _may(MANAGE),
        "can_edit": _may(EDIT),
        "today": clock.today(),
        "notice": None,
        **extra,
    }


@bp.get(f"/rakor-provinsi/{RAKOR}")
@requires(VIEW)
def invited_meeting(rakor_id: int) -> Response:
    invitation = meetings.invitation_or_404(g.regency, rakor_id)
    return render(INVITED_PAGE, **_invited_context(invitation))


def _invited_saved(invitation: Any, message: str) -> Response:
    if is_htmx():
        fragment = render_block(
            INVITED_PAGE, "attendees", **_invited_context(invitation, notice=message)
        )
        return done(
            "coordination.invited_meeting", fragment=fragment, rakor_id=invitation.meeting_id
        )
    flash(message, "success")
    return done("coordination.invited_meeting", rakor_id=invitation.meeting_id)


@bp.post(f"/rakor-provinsi/{RAKOR}/peserta")
@requires(MANAGE)
def add_delegate(rakor_id: int) -> Response:
    invitation = meetings.invitation_or_404(g.regency, rakor_id)
    form = AttendeeForm()
    if not form.validate_on_submit():
        context = _invited_context(invitation, attendee_form=form)
        return render_invalid(INVITED_PAGE, block="attendees", **context)
    db.session.add(
        Attendee(
            meeting_id=rakor_id,
            regency_id=g.regency.id,
            name=form.name.data,
            office=form.office.data,
            position=form.position.data,
        )
    )
    db.session.commit()
    return _invited_saved(invitation, f"{form.name.data} dicatat sebagai peserta.")


@bp.post(f"/rakor-provinsi/{RAKOR}/peserta/{DELEGATE}/hapus")
@requires(MANAGE)
def remove_delegate(rakor_id: int, delegate_id: int) -> Response:
    invitation = meetings.invitation_or_404(g.regency, rakor_id)
    attendee = db.session.execute(
        select(Attendee).filter_by(id=delegate_id, meeting_id=rakor_id, regency_id=g.regency.id)
    ).scalar_one_or_none()
    if attendee is None:
        abort(404)
    name = attendee.name
    db.session.delete(attendee)
    db.session.commit()
    return _invited_saved(invitation, f"{name} dihapus dari peserta.")


@bp.post(f"/rakor-provinsi/{RAKOR}/konfirmasi")
@requires(MANAGE)
def confirm(rakor_id: int) -> Response:
    """Confirm who attends; a confirmation without anyone named is refused."""
    invitation = meetings.invitation_or_404(g.regency, rakor_id)
    meeting = db.session.get(Meeting, invitation.meeting_id)
    if not meetings.attendees_of(meeting, g.regency.id):
        context = _invited_context(
            invitation, notice="Catat dahulu siapa yang akan hadir, lalu konfirmasi."
        )
        return render(INVITED_PAGE, block="attendees", status=409, **context)
    invitation.confirmed_at = utcnow()
    invitation.confirmed_by_id = user().id
    db.session.commit()
    return _invited_saved(invitation, f"Kehadiran pada “{meeting.title}” dikonfirmasi.")


@bp.get(f"/rakor-provinsi/{RAKOR}/undangan")
@requires(VIEW)
def invitation_letter(rakor_id: int) -> Response:
    invitation = meetings.invitation_or_404(g.regency, rakor_id)
    meeting = db.session.get(Meeting, invitation.meeting_id)
    return documents.send(meeting.invitation_document)


# --- Action items -------------------------------------------------------------------------


@bp.get("/tindak-lanjut")
@requires(VIEW)
def actions() -> Response:
    filters = ActionFilters.from_args(request.args)
    today = clock.today()
    page = db.paginate(
        action_items(g.regency.id, filters, today),
        page=request.args.get("halaman", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render(
        ACTIONS_PAGE,
        block="results",
        page=page, rows=list(page.items), filters=filters, today=today, statuses=list(ActionStatus),
    )  # fmt: skip


@bp.get("/tindak-lanjut.xlsx")
@requires(VIEW)
def actions_xlsx() -> Response:
    body = outputs.regency_actions_xlsx(g.regency)
    return outputs.attachment(body, outputs.XLSX_TYPE, f"tindak-lanjut-rakor-{g.regency.slug}.xlsx")


def _action_context(item: ActionItem, form: ActionUpdateForm | None = None) -> dict[str, Any]:
    if form is None:
        form = ActionUpdateForm(
            formdata=None, status=item.status.value, completed_on=item.completed_on,
            completion_note=item.completion_note, version=item.version,
        )  # fmt: skip
    return {
        "item": item, "form": form, "today": clock.today(), "can_edit": _may(EDIT),
        "document_hint": views_meeting.allowed_hint(views_meeting.DOCUMENT_KINDS),
        "meeting_url": _meeting_url(item.meeting), "conflict": None,
    }  # fmt: skip


def _meeting_url(meeting: Meeting) -> str:
    if meeting.regency_id is None:
        return url_for("coordination.invited_meeting", rakor_id=meeting.id)
    return url_for("coordination.view_meeting", meeting_id=meeting.id)


@bp.route(f"/tindak-lanjut/{ACTION}", methods=["GET", "POST"])
@requires(VIEW, POST=EDIT)
def action(action_id: int) -> Response:
    item = meetings.action_or_404(g.regency, action_id)
    if request.method == "GET":
        return render(ACTION_PAGE, **_action_context(item))
    if not _may(EDIT):
        abort(403)
    form = ActionUpdateForm()
    form.has_evidence = item.evidence_document_id is not None
    form.today = clock.today()
    if not form.validate_on_submit():
        return render_invalid(ACTION_PAGE, **_action_context(item, form))
    if form.version.data != item.version:
        context = _action_context(item, form)
        form.version.data = item.version
        context["conflict"] = (
            f"Tindak lanjut ini sudah diubah orang lain: statusnya kini “{item.status.label}”."
        )
        return render(ACTION_PAGE, status=409, **context)
    if form.evidence_file.data:
        try:
            document = store_document(
                form.evidence_file.data, g.regency, user(), kinds=views_meeting.DOCUMENT_KINDS
            )
        except DocumentError as error:
            form.evidence_file.errors.append(error.message)
            return render(ACTION_PAGE, status=error.status, **_action_context(item, form))
        item.evidence_document = document
    status = ActionStatus(form.status.data)
    item.status = status
    item.completed_on = form.completed_on.data if status is ActionStatus.DONE else None
    item.completion_note = form.completion_note.data or None
    db.session.commit()
    flash(f"Tindak lanjut “{item.description}”: {status.label}.", "success")
    return done("coordination.action", action_id=item.id)


# --- The dashboard card -----------------------------------------------------------------------


@bp.get("/kartu")
@requires(VIEW)
def card() -> Response:
    return render(CARD, block="content", figures=summary.card_figures(g.regency.id, clock.today()))
