"""A regency's pages (/r/<code>/coordination/): its meetings and the province
meetings it is invited to, its own meetings (with the views both sides
share) and their invited ad hoc bodies, and its dashboard card. The province
meetings it is invited to are in views_invited, its action items in
views_actions."""

from typing import Any

from flask import Response, g, request, url_for

from phpnet.plugin_api import (
    DocumentError,
    current_account,
    db,
    paginate,
    render,
    render_invalid,
    requires,
    saved,
    today_wib,
)
from plugins.coordination import (
    changes,
    lists,
    meeting_page,
    meetings,
    outputs,
    summary,
    views_meeting,
)
from plugins.coordination.blueprint import EDIT, VIEW, bp, document_hint
from plugins.coordination.forms import MeetingForm
from plugins.coordination.models import Body, InvitedBody, Meeting
from plugins.coordination.sides import REGENCY, part, side_context

LIST_PAGE = "coordination/index.html"
FORM_PAGE = "coordination/meeting_form.html"
CARD = "coordination/card.html"
MEETING = part("meeting_id")
INVITEE = part("invitee_id")

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


# --- The list ------------------------------------------------------------------------


@bp.get("/")
@requires(VIEW)
def index() -> Response:
    list_url = url_for("coordination.index")
    filters = lists.MeetingFilters.from_url().for_regency(g.regency.name, list_url)
    page = paginate(lists.regency_meetings(g.regency.id, filters), filters.page)
    ids = [m.id for m in page.items]
    province_ids = [m.id for m in page.items if m.regency_id is None]
    return render(
        LIST_PAGE,
        block="results",
        page=page,
        filters=filters,
        open_actions=meetings.open_action_counts(ids, g.regency.id),
        confirmed=meetings.confirmations(g.regency.id, province_ids),
        can_edit=REGENCY.may_edit(),
        today=today_wib(),
    )


# --- Creating and editing a meeting of the regency ------------------------------------------


def _form_page(form: MeetingForm, meeting: Meeting | None = None, **extra: Any) -> dict[str, Any]:
    return {
        **side_context(REGENCY), "form": form, "meeting": meeting, "conflict": None,
        "document_hint": document_hint(), **extra,
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
        values = meeting_page.meeting_values(form, REGENCY)
    except DocumentError as error:
        form.invitation_file.errors.append(error.message)
        return render(FORM_PAGE, status=error.status, **_form_page(form))
    meeting = changes.create_meeting(values, g.regency, current_account())
    db.session.commit()
    return saved(
        f"Rapat “{meeting.title}” dicatat. Susun mata acara dan undang badan ad hoc.",
        "coordination.view_meeting",
        meeting_id=meeting.id,
    )


@bp.route(f"/{MEETING}/ubah", methods=["GET", "POST"])
@requires(EDIT)
def edit_meeting(meeting_id: int) -> Response:
    meeting = REGENCY.meeting(meeting_id)
    return meeting_page.edit(REGENCY, meeting, FORM_PAGE, MeetingForm, _form_page)


# --- Invited ad hoc bodies ----------------------------------------------------------------


@bp.post(f"/{MEETING}/badan")
@requires(EDIT)
def add_body(meeting_id: int) -> Response:
    meeting = REGENCY.meeting(meeting_id)
    form = meeting_page.body_form(REGENCY)
    if not form.validate_on_submit():
        return meeting_page.invalid(REGENCY, meeting, "bodies", body_form=form)
    body = InvitedBody(
        regency_id=g.regency.id, meeting_id=meeting.id, body=Body(form.body.data),
        kecamatan_id=form.kecamatan.data, desa_id=form.desa.data, tps_id=form.tps.data,
    )  # fmt: skip
    db.session.add(body)
    db.session.commit()
    return meeting_page.meeting_saved(REGENCY, meeting, "bodies", f"{body.label} diundang.")


@bp.post(f"/{MEETING}/badan/{INVITEE}/hapus")
@requires(EDIT)
def remove_body(meeting_id: int, invitee_id: int) -> Response:
    meeting = REGENCY.meeting(meeting_id)
    body = meetings.child_or_404(InvitedBody, meeting, invitee_id)
    label = body.label
    db.session.delete(body)
    db.session.commit()
    return meeting_page.meeting_saved(REGENCY, meeting, "bodies", f"Undangan {label} dibatalkan.")


# --- The dashboard card -----------------------------------------------------------------------


@bp.get("/kartu")
@requires(VIEW)
def card() -> Response:
    figures = summary.card_figures(g.regency.id, today_wib())
    return render(CARD, block="content", figures=figures)
