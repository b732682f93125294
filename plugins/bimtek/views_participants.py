"""Bimtek views of the people of one session: the invitation list (added by
hand, pasted from a spreadsheet or imported from XLSX), attendance marked on
the day (a checkbox per person, "mark all", search as you type), the XLSX
template and the export.

Every mutation is a plain form post (303 after success); under htmx the
participant block or a row is swapped in place."""

from typing import Any

from flask import Response, abort, g, make_response, request
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from phpnet.plugin_api import db, done, is_htmx, may, render, render_invalid, requires, saved
from plugins.bimtek import bodies, roster, sessions, workbooks
from plugins.bimtek.blueprint import EDIT, VIEW, bp, session_or_404
from plugins.bimtek.forms import (
    AttendanceForm,
    ImportForm,
    ParticipantForm,
    PasteForm,
    PeopleFilters,
)
from plugins.bimtek.models import Participant, Position, Session
from plugins.bimtek.views_targets import REFRESH_OPTIONS, fill_places

PAGE = "bimtek/participants.html"
ROW_FRAGMENT = "bimtek/_attendance_row.html"
IMPORT_PAGE = "bimtek/import.html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def people_of(found: Session, words: str = "") -> list[Participant]:
    """The session's participants in the order they were invited, their
    names containing ``words`` (any case) when given."""
    statement = select(Participant).where(
        Participant.session_id == found.id, Participant.regency_id == g.regency.id
    )
    if words:
        statement = statement.where(Participant.name.icontains(words, autoescape=True))
    return list(db.session.execute(statement.order_by(Participant.id)).scalars())


def printed_people(found: Session) -> dict[str, Any]:
    """Everyone invited, with the names of their bodies (for the pages and prints)."""
    people = people_of(found)
    return {
        "people": people,
        "names": bodies.place_names(bodies.place_of(p) for p in people),
        "place_of": bodies.place_of,
    }


def _add_form(form: ParticipantForm | None = None) -> ParticipantForm:
    form = form or ParticipantForm(formdata=None)
    fill_places(form)
    return form


def _page(found: Session, filters: PeopleFilters | None = None, **extra: Any) -> dict[str, Any]:
    """The participants page; after a change, the whole list (no search)."""
    filters = filters or PeopleFilters()
    words = filters.values["q"] or ""
    people = people_of(found, words)
    can_edit = may(EDIT)
    context = {
        "found": found,
        "people": people,
        "names": bodies.place_names(bodies.place_of(p) for p in people),
        "place_of": bodies.place_of,
        "figures": sessions.figures_of(found),
        "filters": filters,
        "q": words,
        "can_edit": can_edit,
        "add_form": _add_form() if can_edit else None,
        "paste_form": PasteForm(formdata=None) if can_edit else None,
        "paste_report": None,
        "refresh_name": REFRESH_OPTIONS,
    }
    return {**context, **extra}


@bp.get("/<int:session_id>/peserta")
@requires(VIEW)
def participants(session_id: int) -> Response:
    """The invitation list and attendance; htmx's search gets the table only."""
    found = session_or_404(session_id)
    return render(PAGE, block="table", **_page(found, PeopleFilters.from_url()))


def _saved(found: Session, message: str) -> Response:
    return saved(
        message, "bimtek.participants", template=PAGE, block="participants",
        context=lambda: _page(found), session_id=found.id,
    )  # fmt: skip


def _refusal(form: ParticipantForm, found: Session) -> tuple[str, str] | None:
    """Why a valid body cannot join: not a target, or already on the list."""
    place = form.chosen_place()
    if not sessions.is_targeted(found, place):
        return "level", "Badan ini bukan sasaran bimtek ini; tambahkan dulu di Sasaran."
    name = form.name.data.lower()
    if any(p.name.lower() == name and bodies.place_of(p) == place for p in found.participants):
        return "name", "Peserta dengan nama ini dari badan yang sama sudah terdaftar."
    return None


@bp.post("/<int:session_id>/peserta/tambah")
@requires(EDIT)
def add_participant(session_id: int) -> Response:
    found = session_or_404(session_id)
    form = _add_form(ParticipantForm())
    if REFRESH_OPTIONS in request.form:
        return render(PAGE, block="participants", **_page(found, add_form=form))
    valid = form.validate_on_submit()
    refusal = _refusal(form, found) if valid else None
    if refusal:
        field, message = refusal
        form[field].errors = [message]
    if not valid or refusal:
        return render_invalid(PAGE, block="participants", **_page(found, add_form=form))
    place = form.chosen_place()
    found.participants.append(
        Participant(
            regency_id=g.regency.id, name=form.name.data, level=place.level,
            kecamatan_id=place.kecamatan_id, desa_id=place.desa_id, tps_id=place.tps_id,
            position=Position(form.position.data), phone=form.phone.data or None,
        )
    )  # fmt: skip
    db.session.commit()
    return _saved(found, f"{form.name.data} ditambahkan ke daftar peserta.")


@bp.post("/<int:session_id>/peserta/tempel")
@requires(EDIT)
def paste_participants(session_id: int) -> Response:
    """Rows copied from a spreadsheet (tab-separated); nothing is saved
    unless every line is right, and every bad line is reported."""
    found = session_or_404(session_id)
    form = PasteForm()
    if not form.validate_on_submit():
        return render_invalid(PAGE, block="participants", **_page(found, paste_form=form))
    report = roster.read_paste(form.rows.data, g.regency, found)
    if report.problems:
        context = _page(found, paste_form=form, paste_report=report)
        return render_invalid(PAGE, block="participants", **context)
    added = roster.add_rows(report, found)
    db.session.commit()
    return _saved(found, f"{len(added)} peserta dari teks tempelan ditambahkan.")


@bp.post("/<int:session_id>/peserta/<int:participant_id>/hapus")
@requires(EDIT)
def remove_participant(session_id: int, participant_id: int) -> Response:
    found = session_or_404(session_id)
    person = _participant_or_404(found, participant_id)
    db.session.delete(person)
    db.session.commit()
    return _saved(found, f"{person.name} dihapus dari daftar peserta.")


def _participant_or_404(found: Session, participant_id: int) -> Participant:
    person = db.session.execute(
        select(Participant).filter_by(
            id=participant_id, session_id=found.id, regency_id=g.regency.id
        )
    ).scalar_one_or_none()
    if person is None:
        abort(404)
    return person


@bp.post("/<int:session_id>/peserta/<int:participant_id>/hadir")
@requires(EDIT)
def set_attendance(session_id: int, participant_id: int) -> Response:
    """Tick or untick one person: htmx gets the row back and the figures out
    of band; without JavaScript, the list again with the search it showed."""
    found = session_or_404(session_id)
    person = _participant_or_404(found, participant_id)
    form = AttendanceForm()
    form.validate()  # a row number that makes no sense only leaves the row unnumbered
    person.attended = form.hadir.data
    db.session.commit()
    filters = PeopleFilters(request.form)  # the search the row was shown in
    filters.validate()
    if not is_htmx():
        return done("bimtek.participants", session_id=found.id, **filters.query_args())
    body = render_block(
        ROW_FRAGMENT, "row", person=person, found=found,
        names=bodies.place_names([bodies.place_of(person)]), place_of=bodies.place_of,
        figures=sessions.figures_of(found), can_edit=True, q=filters.values["q"] or "",
        number=form.row_number or "",
    )  # fmt: skip
    return make_response(body)


@bp.post("/<int:session_id>/peserta/hadir-semua")
@requires(EDIT)
def mark_all_present(session_id: int) -> Response:
    found = session_or_404(session_id)
    absent = [p for p in found.participants if not p.attended]
    for person in absent:
        person.attended = True
    db.session.commit()
    return _saved(found, f"{len(absent)} peserta ditandai hadir; semua peserta kini hadir.")


# --- XLSX import, template and export -------------------------------------------------------


def _import_page(found: Session, form: ImportForm, **extra: Any) -> dict[str, Any]:
    return {
        "found": found,
        "form": form,
        "report": None,
        "columns": roster.COLUMNS,
        "max_rows": roster.MAX_ROWS,
        "max_megabytes": workbooks.MAX_UPLOAD_BYTES // 2**20,
        **extra,
    }


@bp.route("/<int:session_id>/peserta/impor", methods=["GET", "POST"])
@requires(EDIT)
def import_participants(session_id: int) -> Response:
    found = session_or_404(session_id)
    form = ImportForm()
    if request.method == "GET":
        return render(IMPORT_PAGE, **_import_page(found, form))
    if not form.validate_on_submit():
        return render_invalid(IMPORT_PAGE, block="importer", **_import_page(found, form))
    upload = form.file.data
    report = workbooks.read_xlsx(upload.read(workbooks.MAX_UPLOAD_BYTES + 1), g.regency, found)
    if report.problems:
        return render_invalid(
            IMPORT_PAGE, block="importer", **_import_page(found, form, report=report)
        )
    added = roster.add_rows(report, found)
    db.session.commit()
    message = f"{len(added)} peserta diimpor dari {upload.filename or 'berkas XLSX'}."
    return saved(message, "bimtek.participants", session_id=found.id)


def _xlsx(data: bytes, filename: str) -> Response:
    response = make_response(data)
    response.headers["Content-Type"] = XLSX
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/templat-peserta.xlsx")
@requires(VIEW)
def import_template() -> Response:
    data = workbooks.template_xlsx(g.regency)
    return _xlsx(data, f"templat-peserta-bimtek-{g.regency.slug}.xlsx")


@bp.get("/<int:session_id>/peserta.xlsx")
@requires(VIEW)
def export_participants(session_id: int) -> Response:
    found = session_or_404(session_id)
    data = workbooks.export_xlsx(g.regency, found, people_of(found))
    return _xlsx(data, f"peserta-bimtek-{found.id}-{found.held_on:%Y%m%d}.xlsx")
