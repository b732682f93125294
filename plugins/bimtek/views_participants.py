"""Bimtek views of the people of one session: the invitation list (added by
hand, pasted from a spreadsheet or imported from XLSX), attendance marked on
the day (a checkbox per person, "mark all", search as you type), pre-test and
post-test scores, and the XLSX export.

Every mutation is a plain form post (303 after success); under htmx the
participant block, a row, or the scores table is swapped in place."""

from typing import Any

from flask import Response, abort, flash, g, make_response, request
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from phpnet.extensions import db
from phpnet.htmx import done, is_htmx, render, render_invalid
from phpnet.plugin_system.permissions import requires
from plugins.bimtek import bodies, roster, sessions
from plugins.bimtek.blueprint import EDIT, VIEW, bp
from plugins.bimtek.forms import ImportForm, ParticipantForm, PasteForm
from plugins.bimtek.models import Participant, Position, Session
from plugins.bimtek.views_sessions import (
    REFRESH_OPTIONS,
    chosen_place,
    may,
    place_problems,
    prepare_place_form,
    session_or_404,
)

PAGE = "bimtek/participants.html"
ROW_FRAGMENT = "bimtek/_attendance_row.html"
IMPORT_PAGE = "bimtek/import.html"
SCORES_PAGE = "bimtek/scores.html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEARCH_MAX = 100
DESA_PLACEHOLDER = "— pilih desa/kelurahan —"
TPS_PLACEHOLDER = "— pilih TPS —"


def _search() -> str:
    return (request.values.get("q") or "").strip()[:SEARCH_MAX]


def people_of(found: Session, query: str = "") -> list[Participant]:
    statement = select(Participant).where(
        Participant.session_id == found.id, Participant.regency_id == g.regency.id
    )
    if query:
        statement = statement.where(Participant.name.icontains(query, autoescape=True))
    return list(db.session.execute(statement.order_by(Participant.id)).scalars())


def _add_form(form: ParticipantForm | None = None) -> ParticipantForm:
    form = form or ParticipantForm(formdata=None)
    prepare_place_form(form, DESA_PLACEHOLDER, TPS_PLACEHOLDER)
    return form


def _page(found: Session, **extra: Any) -> dict[str, Any]:
    query = extra.pop("q", _search())
    people = people_of(found, query)
    can_edit = may(EDIT)
    context = {
        "found": found,
        "people": people,
        "names": bodies.place_names(bodies.place_of(p) for p in people),
        "place_of": bodies.place_of,
        "figures": sessions.figures_of(found),
        "q": query,
        "can_edit": can_edit,
        "add_form": _add_form() if can_edit else None,
        "paste_form": PasteForm(formdata=None) if can_edit else None,
        "paste_report": None,
        "refresh_name": REFRESH_OPTIONS,
        "notice": None,
    }
    return {**context, **extra}


@bp.get("/<int:session_id>/peserta")
@requires(VIEW)
def participants(session_id: int) -> Response:
    """The invitation list and attendance; htmx's search gets the table only."""
    found = session_or_404(session_id)
    return render(PAGE, block="table", **_page(found))


def _saved(found: Session, message: str) -> Response:
    if is_htmx():
        fragment = render_block(PAGE, "participants", **_page(found, notice=message, q=""))
        return done("bimtek.participants", fragment=fragment, session_id=found.id)
    flash(message, "success")
    return done("bimtek.participants", session_id=found.id)


@bp.post("/<int:session_id>/peserta/tambah")
@requires(EDIT)
def add_participant(session_id: int) -> Response:
    found = session_or_404(session_id)
    form = _add_form(ParticipantForm())
    if REFRESH_OPTIONS in request.form:
        return render(PAGE, block="participants", **_page(found, add_form=form, q=""))
    valid = form.validate_on_submit()
    problems = place_problems(form, exact=True) if valid else {}
    if valid and not problems:
        place = chosen_place(form)
        if not sessions.is_targeted(found, place):
            problems["level"] = "Badan ini bukan sasaran bimtek ini; tambahkan dulu di Sasaran."
        elif any(
            p.name.lower() == form.name.data.lower() and bodies.place_of(p) == place
            for p in found.participants
        ):
            problems["name"] = "Peserta dengan nama ini dari badan yang sama sudah terdaftar."
    for name, message in problems.items():
        getattr(form, name).errors = [message]
    if not valid or problems:
        return render_invalid(PAGE, block="participants", **_page(found, add_form=form, q=""))
    place = chosen_place(form)
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
        return render_invalid(PAGE, block="participants", **_page(found, paste_form=form, q=""))
    report = roster.read_paste(form.rows.data, g.regency, found)
    if report.problems:
        context = _page(found, paste_form=form, paste_report=report, q="")
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
    """Tick or untick one person: htmx gets the row back and the figures out of band."""
    found = session_or_404(session_id)
    person = _participant_or_404(found, participant_id)
    person.attended = request.form.get("hadir") == "1"
    db.session.commit()
    if is_htmx():
        body = render_block(
            ROW_FRAGMENT,
            "row",
            person=person,
            found=found,
            names=bodies.place_names([bodies.place_of(person)]),
            place_of=bodies.place_of,
            figures=sessions.figures_of(found),
            can_edit=True,
            q=_search(),
            number=_row_number(),
        )
        return make_response(body)
    return done("bimtek.participants", session_id=found.id, q=_search() or None)


def _row_number() -> str:
    """The row's number in the list the user sees, sent back by its form."""
    number = request.form.get("nomor", "")
    return number if number.isascii() and number.isdigit() and len(number) < 7 else ""


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
        "max_megabytes": roster.MAX_UPLOAD_BYTES // 2**20,
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
    report = roster.read_xlsx(upload.read(roster.MAX_UPLOAD_BYTES + 1), g.regency, found)
    if report.problems:
        return render_invalid(
            IMPORT_PAGE, block="importer", **_import_page(found, form, report=report)
        )
    added = roster.add_rows(report, found)
    db.session.commit()
    flash(f"{len(added)} peserta diimpor dari {upload.filename or 'berkas XLSX'}.", "success")
    return done("bimtek.participants", session_id=found.id)


def _xlsx(data: bytes, filename: str) -> Response:
    response = make_response(data)
    response.headers["Content-Type"] = XLSX
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/templat-peserta.xlsx")
@requires(VIEW)
def import_template() -> Response:
    return _xlsx(roster.template_xlsx(g.regency), f"templat-peserta-bimtek-{g.regency.slug}.xlsx")


@bp.get("/<int:session_id>/peserta.xlsx")
@requires(VIEW)
def export_participants(session_id: int) -> Response:
    found = session_or_404(session_id)
    data = roster.export_xlsx(g.regency, found, people_of(found))
    return _xlsx(data, f"peserta-bimtek-{found.id}-{found.held_on:%Y%m%d}.xlsx")


# --- Scores ---------------------------------------------------------------------------------------


def _score(raw: str | None, label: str) -> tuple[int | None, str | None]:
    text = (raw or "").strip()
    if not text:
        return None, None
    if not (text.isascii() and text.isdigit()) or not 0 <= int(text) <= 100:
        return None, f"Nilai {label} harus bilangan bulat 0–100."
    return int(text), None


def _scores_page(found: Session, **extra: Any) -> dict[str, Any]:
    people = people_of(found)
    return {
        "found": found,
        "people": people,
        "names": bodies.place_names(bodies.place_of(p) for p in people),
        "place_of": bodies.place_of,
        "figures": sessions.figures_of(found),
        "can_edit": may(EDIT),
        "entered": {},
        "errors": {},
        "notice": None,
        **extra,
    }


@bp.route("/<int:session_id>/nilai", methods=["GET", "POST"])
@requires(VIEW, POST=EDIT)
def scores(session_id: int) -> Response:
    """Pre-test and post-test scores (0-100, optional) in one form, with the
    averages and the average gain."""
    found = session_or_404(session_id)
    if request.method == "GET":
        return render(SCORES_PAGE, **_scores_page(found))
    if not may(EDIT):
        abort(403)
    people = people_of(found)
    entered: dict[str, str] = {}
    errors: dict[str, str] = {}
    values: dict[int, tuple[int | None, int | None]] = {}
    for person in people:
        pair = []
        for prefix, label in (("pre", "pre-test"), ("post", "post-test")):
            key = f"{prefix}-{person.id}"
            if key not in request.form:  # not on the form that was loaded: unchanged
                pair.append(getattr(person, f"{prefix}_score"))
                continue
            entered[key] = request.form.get(key, "")[:10]
            value, problem = _score(entered[key], label)
            if problem:
                errors[key] = problem
            pair.append(value)
        values[person.id] = (pair[0], pair[1])
    if errors:
        return render_invalid(
            SCORES_PAGE, block="scores", **_scores_page(found, entered=entered, errors=errors)
        )
    for person in people:
        person.pre_score, person.post_score = values[person.id]
    db.session.commit()
    message = "Nilai pre-test dan post-test disimpan."
    if is_htmx():
        fragment = render_block(SCORES_PAGE, "scores", **_scores_page(found, notice=message))
        return done("bimtek.scores", fragment=fragment, session_id=found.id)
    flash(message, "success")
    return done("bimtek.scores", session_id=found.id)
