"""The province's pages (/provinsi/rakor/): its meetings with the KPU
kabupaten/kota, who is invited and which positions are expected, and for
each meeting the confirmations, attendance and action items of all 38 at a
glance. Core answers these pages only to admin and provinsi users."""

from typing import Any

from flask import Blueprint, Response, abort, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from phpnet.plugin_api import (
    DocumentError,
    NavItem,
    current_account,
    db,
    hookimpl,
    paginate,
    render,
    render_invalid,
    saved,
    send_document,
    today_wib,
)
from plugins.coordination import changes, lists, meeting_page, meetings, outputs, views_meeting
from plugins.coordination.blueprint import document_hint, province_bp
from plugins.coordination.forms import ProvinceMeetingForm
from plugins.coordination.models import (
    STANDARD_POSITIONS,
    ActionItem,
    ActionStatus,
    Decision,
    InvitedRegency,
    Meeting,
)
from plugins.coordination.sides import PROVINCE, part, side_context

LIST_PAGE = "coordination/province_index.html"
FORM_PAGE = "coordination/province_meeting_form.html"
DECISION_PAGE = "coordination/province_decision.html"
RAKOR = part("rakor_id")
DECISION = part("rakor_decision_id")


def _open(view: Any) -> Any:
    return view  # core's guard already limits province pages to admin and provinsi


views_meeting.register(province_bp, PROVINCE, dict.fromkeys(views_meeting.GUARDED, _open))
outputs.register(province_bp, PROVINCE, _open)


@province_bp.get("/")
def index() -> Response:
    filters = lists.ProvinceMeetingFilters.from_url()
    page = paginate(lists.province_meetings(filters), filters.page)
    stats = _list_stats([m.id for m in page.items])
    return render(LIST_PAGE, block="results", page=page, filters=filters, stats=stats)


def _list_stats(meeting_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per meeting: regencies invited and regencies that confirmed."""
    if not meeting_ids:
        return {}
    rows = db.session.execute(
        select(InvitedRegency.meeting_id, InvitedRegency.confirmed_at).where(
            InvitedRegency.meeting_id.in_(meeting_ids)
        )
    ).tuples()
    stats: dict[int, tuple[int, int]] = {}
    for meeting_id, confirmed_at in rows:
        invited, confirmed = stats.get(meeting_id, (0, 0))
        stats[meeting_id] = (invited + 1, confirmed + (confirmed_at is not None))
    return stats


def make_form(**kwargs: Any) -> ProvinceMeetingForm:
    form = ProvinceMeetingForm(**kwargs)
    form.regencies.choices = [(r.id, r.name) for r in meetings.active_regencies()]
    form.positions.choices = [(p, p) for p in STANDARD_POSITIONS]
    return form


def _form_page(
    form: ProvinceMeetingForm, meeting: Meeting | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        **side_context(PROVINCE), "form": form, "meeting": meeting, "conflict": None,
        "document_hint": document_hint(), **extra,
    }  # fmt: skip


def _invite(meeting: Meeting, form: ProvinceMeetingForm) -> None:
    every = {regency_id for regency_id, _ in form.regencies.choices}
    wanted = every if form.invite_all.data else set(form.regencies.data) & every
    changes.set_invited_regencies(meeting, wanted)
    meeting.expected_positions = form.expected_positions()


@province_bp.route("/baru", methods=["GET", "POST"])
def new_meeting() -> Response:
    if request.method == "GET":
        form = make_form(data={"positions": list(STANDARD_POSITIONS), "invite_all": True})
        return render(FORM_PAGE, **_form_page(form))
    form = make_form()
    if not form.validate_on_submit():
        return render_invalid(FORM_PAGE, **_form_page(form))
    try:
        values = meeting_page.meeting_values(form, PROVINCE)
    except DocumentError as error:
        form.invitation_file.errors.append(error.message)
        return render(FORM_PAGE, status=error.status, **_form_page(form))
    meeting = changes.create_meeting(values, None, current_account())
    _invite(meeting, form)
    db.session.commit()
    return saved(
        f"Rapat “{meeting.title}” dicatat dan undangan dikirim.",
        "coordination_provinsi.view_meeting",
        rakor_id=meeting.id,
    )


@province_bp.route(f"/{RAKOR}/ubah", methods=["GET", "POST"])
def edit_meeting(rakor_id: int) -> Response:
    meeting = PROVINCE.meeting(rakor_id)
    invited = [r.id for r in meetings.invited_regencies(meeting)]
    standard = [p for p in meeting.positions if p in STANDARD_POSITIONS]
    other = "\n".join(p for p in meeting.positions if p not in STANDARD_POSITIONS)
    data = {
        "regencies": invited, "positions": standard, "other_positions": other,
        "invite_all": len(invited) == len(meetings.active_regencies()),
    }  # fmt: skip
    return meeting_page.edit(PROVINCE, meeting, FORM_PAGE, make_form, _form_page, data, _invite)


@province_bp.get(f"/{RAKOR}/undangan")
def invitation_letter(rakor_id: int) -> Response:
    document = PROVINCE.meeting(rakor_id).invitation_document
    if document is None:
        abort(404)
    return send_document(document)


@province_bp.get(f"/{RAKOR}/keputusan/{DECISION}")
def decision(rakor_id: int, rakor_decision_id: int) -> Response:
    """One decision's action items, regency by regency, with their evidence."""
    meeting = PROVINCE.meeting(rakor_id)
    found = meetings.child_or_404(Decision, meeting, rakor_decision_id)
    items = list(
        db.session.execute(
            select(ActionItem)
            .options(joinedload(ActionItem.regency), joinedload(ActionItem.evidence_document))
            .filter_by(decision_id=found.id)
            .join(ActionItem.regency)
            .order_by(ActionItem.description, ActionItem.regency_id)
        ).scalars()
    )
    return render(
        DECISION_PAGE, **side_context(PROVINCE), meeting=meeting, decision=found, items=items,
        today=today_wib(), done_count=sum(1 for i in items if i.status is ActionStatus.DONE),
    )  # fmt: skip


@hookimpl
def phpnet_province_blueprints() -> list[Blueprint]:
    return [province_bp]


@hookimpl
def phpnet_province_nav_items() -> list[NavItem]:
    return [NavItem("Rakor Provinsi", "coordination_provinsi.index", order=40)]
