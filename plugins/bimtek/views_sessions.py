"""Bimtek views of sessions: the list with its filters, planning and editing
a session (never overwriting someone else's save), and deleting it.

Every mutation is a plain form post (303 after success); htmx swaps the
list's results in place as the filters change."""

from typing import Any

from flask import Response, g, request
from sqlalchemy import ColumnElement, extract, func, or_, select

from phpnet.plugin_api import (
    Document,
    DocumentError,
    allowed_hint,
    current_account,
    db,
    may,
    paginate,
    read_snapshot,
    render,
    render_invalid,
    requires,
    saved,
    sign_snapshot,
    store_document,
)
from plugins.bimtek import sessions
from plugins.bimtek.blueprint import EDIT, MANAGE, VIEW, bp, session_or_404
from plugins.bimtek.forms import EditSessionForm, SessionFilters, SessionForm
from plugins.bimtek.models import Session, SessionStatus

LIST_PAGE = "bimtek/index.html"
FORM_PAGE = "bimtek/session_form.html"
LETTER_KINDS = frozenset({"pdf", "jpeg", "png", "docx"})


# --- The list -------------------------------------------------------------------------------


def _conditions(values: dict[str, Any]) -> list[ColumnElement[bool]]:
    """The year and words filters (the status filter also counts per status)."""
    found = [Session.regency_id == g.regency.id]
    if values["tahun"]:
        found.append(extract("year", Session.starts_at) == values["tahun"])
    if words := values["q"]:
        found.append(
            or_(
                Session.title.icontains(words, autoescape=True),
                Session.topic.icontains(words, autoescape=True),
                Session.venue.icontains(words, autoescape=True),
            )
        )
    return found


@bp.get("/")
@requires(VIEW)
def index() -> Response:
    """Sessions, newest first, filtered by words, status and year (in the URL)."""
    filters = SessionFilters.from_url()
    conditions = _conditions(filters.values)
    by_status = dict.fromkeys(SessionStatus, 0)
    for status, number in db.session.execute(
        select(Session.status, func.count()).where(*conditions).group_by(Session.status)
    ):
        by_status[status] = number
    if status := filters.values["status"]:
        conditions.append(Session.status == status)
    statement = (
        select(Session).where(*conditions).order_by(Session.starts_at.desc(), Session.id.desc())
    )
    page = paginate(statement, filters.page)
    return render(
        LIST_PAGE,
        block="results",  # the filters' htmx request
        page=page,
        figures=sessions.session_figures([s.id for s in page.items], g.regency.id),
        filters=filters,
        by_status=by_status,
        statuses=list(SessionStatus),
        can_edit=may(EDIT),
    )


# --- Planning and editing -------------------------------------------------------------------


def _form_page(form: SessionForm, found: Session | None = None, **extra: Any) -> dict[str, Any]:
    return {"form": form, "found": found, "letter_hint": allowed_hint(LETTER_KINDS), **extra}


def _store_letter(
    form: SessionForm, found: Session | None
) -> tuple[Document | None, Response | None]:
    """Store an uploaded invitation letter; a refused file is a message next
    to the field (and nothing is saved)."""
    if not form.invitation_file.data:
        return None, None
    try:
        document = store_document(
            form.invitation_file.data, g.regency, current_account(), kinds=LETTER_KINDS
        )
    except DocumentError as error:
        form.invitation_file.errors = [error.message]
        return None, render(FORM_PAGE, status=error.status, **_form_page(form, found))
    return document, None


def _keep_file_message(form: SessionForm) -> None:
    if form.invitation_file.data and not form.invitation_file.errors:
        form.invitation_file.errors = [
            "Pilih berkas lagi: berkas belum disimpan karena isian lain belum benar."
        ]


@bp.route("/baru", methods=["GET", "POST"])
@requires(EDIT)
def new_session() -> Response:
    form = SessionForm()
    if request.method == "GET":
        return render(FORM_PAGE, **_form_page(form))
    if not form.validate_on_submit():
        _keep_file_message(form)
        return render_invalid(FORM_PAGE, **_form_page(form))
    letter, refused = _store_letter(form, None)
    if refused is not None:
        return refused
    created = sessions.create_session(form.column_values(), g.regency, current_account())
    if letter is not None:
        created.invitation_document = letter
    db.session.commit()
    message = f"Bimtek “{created.title}” direncanakan. Tentukan sasarannya."
    return saved(message, "bimtek.targets", session_id=created.id)


def _initial(found: Session) -> dict[str, Any]:
    return {
        **{name: getattr(found, name) for name in sessions.FIELD_LABELS},
        "starts_at": found.starts_at.time(),
        "ends_at": found.ends_at.time() if found.ends_at else None,
        "mode": found.mode.value,
        "status": found.status.value,
        "version": str(found.version),
        "loaded": sign_snapshot(sessions.snapshot(found), sessions.SNAPSHOT_SALT),
    }


@bp.route("/<int:session_id>/ubah", methods=["GET", "POST"])
@requires(EDIT)
def edit_session(session_id: int) -> Response:
    found = session_or_404(session_id)
    if request.method == "GET":
        form = EditSessionForm(data=_initial(found))
        return render(FORM_PAGE, **_form_page(form, found))
    form = EditSessionForm()
    if not form.validate_on_submit():
        _keep_file_message(form)
        return render_invalid(FORM_PAGE, **_form_page(form, found))
    if form.version.data != str(found.version):
        return _conflict(form, found)
    letter, refused = _store_letter(form, found)
    if refused is not None:
        return refused
    sessions.update_session(found, form.column_values())
    if letter is not None:
        found.invitation_document = letter
    db.session.commit()
    return saved("Perubahan bimtek disimpan.", "bimtek.session", session_id=found.id)


def _conflict(form: EditSessionForm, found: Session) -> Response:
    """Someone saved the session since this form was loaded: keep the user's
    input, show what changed, and let a second save (new version) win."""
    changes = sessions.changes_since(read_snapshot(form.loaded.data, sessions.SNAPSHOT_SALT), found)
    form.version.data = str(found.version)
    form.loaded.data = sign_snapshot(sessions.snapshot(found), sessions.SNAPSHOT_SALT)
    _keep_file_message(form)
    return render(FORM_PAGE, status=409, **_form_page(form, found, conflict=changes))


@bp.post("/<int:session_id>/hapus")
@requires(MANAGE)
def delete_session(session_id: int) -> Response:
    found = session_or_404(session_id)
    title = found.title
    db.session.delete(found)
    db.session.commit()
    return saved(f"Bimtek “{title}” dihapus beserta daftar pesertanya.", "bimtek.index")
