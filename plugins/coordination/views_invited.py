"""A province meeting as an invited regency sees it
(/r/<code>/coordination/rakor-provinsi/<id>): the meeting, its agenda and
minutes, its decisions with the regency's own action items, and the people
the regency sends, whose attendance it confirms."""

from typing import Any

from flask import Response, abort, g
from flask_login import current_user
from sqlalchemy import select

from phpnet.plugin_api import (
    current_account,
    db,
    has_permission,
    render,
    render_invalid,
    requires,
    saved,
    send_document,
    today_wib,
    utcnow,
)
from plugins.coordination import meetings
from plugins.coordination.blueprint import EDIT, MANAGE, VIEW, bp
from plugins.coordination.forms import AttendeeForm
from plugins.coordination.models import Attendee, InvitedRegency, Meeting
from plugins.coordination.sides import part

INVITED_PAGE = "coordination/invited.html"
RAKOR = part("rakor_id")  # a province meeting the regency is invited to
DELEGATE = part("delegate_id")  # someone the regency sends to it


def _context(invitation: InvitedRegency, **extra: Any) -> dict[str, Any]:
    meeting = db.session.get(Meeting, invitation.meeting_id)
    return {
        "meeting": meeting,
        "invitation": invitation,
        "agenda": meetings.agenda_of(meeting),
        "attendees": meetings.attendees_of(meeting, g.regency.id),
        "decisions": meetings.decisions_of(meeting, g.regency.id),
        "attendee_form": AttendeeForm(formdata=None, office=f"KPU {g.regency.name}"),
        "can_manage": has_permission(current_user, g.regency, MANAGE),
        "can_edit": has_permission(current_user, g.regency, EDIT),
        "today": today_wib(),
        **extra,
    }


def _saved(invitation: InvitedRegency, message: str) -> Response:
    return saved(
        message,
        "coordination.invited_meeting",
        template=INVITED_PAGE,
        block="attendees",
        context=lambda: _context(invitation),
        rakor_id=invitation.meeting_id,
    )


@bp.get(f"/rakor-provinsi/{RAKOR}")
@requires(VIEW)
def invited_meeting(rakor_id: int) -> Response:
    invitation = meetings.invitation_or_404(g.regency, rakor_id)
    return render(INVITED_PAGE, **_context(invitation))


@bp.post(f"/rakor-provinsi/{RAKOR}/peserta")
@requires(MANAGE)
def add_delegate(rakor_id: int) -> Response:
    invitation = meetings.invitation_or_404(g.regency, rakor_id)
    form = AttendeeForm()
    if not form.validate_on_submit():
        context = _context(invitation, attendee_form=form)
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
    return _saved(invitation, f"{form.name.data} dicatat sebagai peserta.")


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
    return _saved(invitation, f"{name} dihapus dari peserta.")


@bp.post(f"/rakor-provinsi/{RAKOR}/konfirmasi")
@requires(MANAGE)
def confirm(rakor_id: int) -> Response:
    """Confirm who attends; a confirmation without anyone named is refused."""
    invitation = meetings.invitation_or_404(g.regency, rakor_id)
    meeting = db.session.get(Meeting, invitation.meeting_id)
    if not meetings.attendees_of(meeting, g.regency.id):
        context = _context(
            invitation, notice="Catat dahulu siapa yang akan hadir, lalu konfirmasi."
        )
        return render(INVITED_PAGE, block="attendees", status=409, **context)
    invitation.confirmed_at = utcnow()
    invitation.confirmed_by_id = current_account().id
    db.session.commit()
    return _saved(invitation, f"Kehadiran pada “{meeting.title}” dikonfirmasi.")


@bp.get(f"/rakor-provinsi/{RAKOR}/undangan")
@requires(VIEW)
def invitation_letter(rakor_id: int) -> Response:
    invitation = meetings.invitation_or_404(g.regency, rakor_id)
    meeting = db.session.get(Meeting, invitation.meeting_id)
    if meeting.invitation_document is None:
        abort(404)
    return send_document(meeting.invitation_document)
