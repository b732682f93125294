"""The province's election calendar at ``/provinsi/kalender``: key dates, each
with its own date or a deadline in working days from another, and the
collective leave days (cuti bersama) counted as holidays."""

from typing import Any

from flask import abort, request
from sqlalchemy import select

from phpnet.access import roles_required
from phpnet.extensions import db
from phpnet.htmx import done, is_htmx, render
from phpnet.province import schedule
from phpnet.province.blueprint import PROVINCE_ROLES, bp
from phpnet.province.forms import (
    NO_BASE,
    EventChoiceForm,
    EventForm,
    LeaveChoiceForm,
    LeaveDayForm,
    UpdateEventForm,
)
from phpnet.province.models import ElectionEvent, EventKind, LeaveDay

EDIT = "ubah"  # the edit form's field prefix: its ids differ from the new-event form's


def _events() -> list[ElectionEvent]:
    return list(db.session.execute(select(ElectionEvent).order_by(ElectionEvent.name)).scalars())


def _base_choices(form: EventForm, events: list[ElectionEvent], editing: int | None) -> None:
    form.base_event.choices = [
        (NO_BASE, "— tanggal sendiri —"),
        *((e.id, e.name) for e in events if e.id != editing),
    ]


def _calendar_page(
    event_form: EventForm | None = None,
    leave_form: LeaveDayForm | None = None,
    editing: ElectionEvent | None = None,
    edit_form: UpdateEventForm | None = None,
    message: str = "",
    status: int = 200,
    block: str = "calendar",
) -> Any:
    """The calendar page (or one of its blocks), with the forms as they were
    submitted and ``message`` above them when something was refused."""
    events = _events()
    if event_form is None:
        event_form = EventForm(formdata=None)
    _base_choices(event_form, events, None)
    if editing is not None and edit_form is None:
        edit_form = UpdateEventForm(formdata=None, obj=editing, acara=editing.id, prefix=EDIT)
        edit_form.base_event.data = editing.base_event_id or NO_BASE
        edit_form.kind.data = editing.kind.value
    if edit_form is not None and editing is not None:
        _base_choices(edit_form, events, editing.id)
    return render(
        "province/calendar.html",
        block=block,
        status=status,
        dates=schedule.key_dates(),
        event_form=event_form,
        leave_form=leave_form or LeaveDayForm(formdata=None),
        leave_days=db.session.execute(select(LeaveDay).order_by(LeaveDay.day)).scalars().all(),
        editing=editing,
        edit_form=edit_form,
        message=message,
    )


@bp.get("/kalender")
@roles_required(*PROVINCE_ROLES)
def calendar() -> Any:
    wanted = request.args.get("ubah", "")
    editing = None
    if wanted.isdigit() and len(wanted) < 10:
        editing = db.session.get(ElectionEvent, int(wanted))
    return _calendar_page(editing=editing)


def _saved() -> Any:
    """After a change: the updated calendar for htmx, a redirect otherwise."""
    if not is_htmx():
        return done("province.calendar")
    return done("province.calendar", fragment=_calendar_page().get_data(as_text=True))


def _apply(event: ElectionEvent, form: EventForm) -> None:
    event.name = form.name.data
    event.kind = EventKind(form.kind.data)
    counted = form.base_event.data not in (None, NO_BASE)
    event.on_date = None if counted else form.on_date.data
    event.base_event_id = form.base_event.data if counted else None
    event.working_days = form.working_days.data if counted else None
    event.notes = form.notes.data or None


def _base_exists(form: EventForm) -> bool:
    if form.base_event.data in (None, NO_BASE):
        return True
    if db.session.get(ElectionEvent, form.base_event.data) is None:
        form.base_event.errors = [*form.base_event.errors, "Kegiatan acuan tidak ditemukan."]
        return False
    return True


@bp.post("/kalender")
@roles_required(*PROVINCE_ROLES)
def create_event() -> Any:
    form = EventForm()
    _base_choices(form, _events(), None)
    if not (form.validate() and _base_exists(form)):
        return _calendar_page(event_form=form, status=422)
    event = ElectionEvent()
    _apply(event, form)
    db.session.add(event)
    db.session.commit()
    return _saved()


def _chosen_event(prefix: str = "") -> ElectionEvent | None:
    """The event a row's form names in its hidden field; None when the field
    is missing or malformed; 404 for an id that does not exist."""
    choice = EventChoiceForm(prefix=prefix)
    if not choice.validate():
        return None
    event = db.session.get(ElectionEvent, choice.acara.data)
    if event is None:
        abort(404)
    return event


NO_EVENT = "Kegiatan yang dimaksud tidak disebut; muat ulang halaman lalu coba lagi."


@bp.post("/kalender/ubah")
@roles_required(*PROVINCE_ROLES)
def update_event() -> Any:
    event = _chosen_event(EDIT)
    if event is None:
        return _calendar_page(message=NO_EVENT, status=422)
    form = UpdateEventForm(prefix=EDIT)
    _base_choices(form, _events(), event.id)
    valid = form.validate() and _base_exists(form)
    if valid and form.base_event.data and schedule.depends_on(event, form.base_event.data):
        form.base_event.errors = ["Kegiatan acuan ini dihitung dari kegiatan yang diubah."]
        valid = False
    if not valid:
        return _calendar_page(editing=event, edit_form=form, status=422)
    _apply(event, form)
    db.session.commit()
    return _saved()


@bp.post("/kalender/hapus")
@roles_required(*PROVINCE_ROLES)
def delete_event() -> Any:
    event = _chosen_event()
    if event is None:
        return _calendar_page(message=NO_EVENT, status=422)
    followers = (
        db.session.execute(select(ElectionEvent.name).filter_by(base_event_id=event.id))
        .scalars()
        .all()
    )
    if followers:
        message = (
            f"“{event.name}” tidak dapat dihapus: tenggat {', '.join(followers)} dihitung "
            "darinya. Ubah atau hapus tenggat itu lebih dahulu."
        )
        return _calendar_page(message=message, status=409)
    db.session.delete(event)
    db.session.commit()
    return _saved()


@bp.post("/cuti-bersama")
@roles_required(*PROVINCE_ROLES)
def create_leave_day() -> Any:
    form = LeaveDayForm()
    valid = form.validate()
    if (
        valid
        and db.session.execute(
            select(LeaveDay.id).filter_by(day=form.day.data)
        ).scalar_one_or_none()
    ):
        form.day.errors = ["Tanggal ini sudah tercatat sebagai cuti bersama."]
        valid = False
    if not valid:
        return _calendar_page(leave_form=form, status=422)
    db.session.add(LeaveDay(day=form.day.data, name=form.name.data))
    db.session.commit()
    return _saved()


@bp.post("/cuti-bersama/hapus")
@roles_required(*PROVINCE_ROLES)
def delete_leave_day() -> Any:
    form = LeaveChoiceForm()
    if not form.validate():
        return _calendar_page(message="Cuti bersama yang dimaksud tidak disebut.", status=422)
    leave_day = db.session.get(LeaveDay, form.cuti.data)
    if leave_day is None:
        abort(404)
    db.session.delete(leave_day)
    db.session.commit()
    return _saved()
