"""Bimtek views of sessions: the list, planning and editing a session (never
overwriting someone else's save), its detail page with speakers and
materials, its target bodies picked through the region tree with cascading
selects, and deleting it.

Every mutation is a plain form post (303 after success); htmx swaps the
target list, speakers and materials in place and loads the select options."""

import json
from dataclasses import dataclass
from typing import Any

from flask import Response, abort, flash, g, make_response, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import extract, func, or_, select

from phpnet.access import scoped_or_404
from phpnet.auth.models import User
from phpnet.documents.models import Document
from phpnet.documents.service import DocumentError, allowed_hint, store_document
from phpnet.extensions import db
from phpnet.htmx import done, is_htmx, render, render_invalid
from phpnet.plugin_system.permissions import has_permission, requires
from phpnet.teams.models import current_team
from plugins.bimtek import bodies, sessions
from plugins.bimtek.blueprint import EDIT, MANAGE, VIEW, bp
from plugins.bimtek.forms import (
    EditSessionForm,
    MaterialForm,
    SessionForm,
    SpeakerForm,
    TargetForm,
    parse_id,
)
from plugins.bimtek.models import Level, Material, Session, SessionStatus, Speaker

LIST_PAGE = "bimtek/index.html"
FORM_PAGE = "bimtek/session_form.html"
DETAIL_PAGE = "bimtek/session.html"
TARGETS_PAGE = "bimtek/targets.html"
OPTIONS_FRAGMENT = "bimtek/_options.html"
PER_PAGE = 25
LETTER_KINDS = frozenset({"pdf", "jpeg", "png", "docx"})
MATERIAL_KINDS = frozenset({"pdf", "docx", "xlsx", "jpeg", "png"})
REFRESH_OPTIONS = "muat_pilihan"  # the no-JavaScript button that reloads the selects


def user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def may(permission: str) -> bool:
    return has_permission(current_user, g.regency, permission)


def session_or_404(session_id: int) -> Session:
    return scoped_or_404(Session, session_id)


# --- The list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListFilters:
    status: SessionStatus | None
    year: int | None
    q: str
    page: int

    @classmethod
    def from_args(cls) -> "ListFilters":
        status = request.args.get("status", "")
        year = request.args.get("tahun", "")
        page = request.args.get("page", "1")
        return cls(
            SessionStatus(status) if status in SessionStatus._value2member_map_ else None,
            int(year) if year.isascii() and year.isdigit() and 2000 <= int(year) <= 2100 else None,
            request.args.get("q", "").strip()[:100],
            int(page) if page.isascii() and page.isdigit() and 0 < int(page) < 100_000 else 1,
        )

    def args(self, **changed: Any) -> dict[str, Any]:
        values = {
            "status": self.status.value if self.status else None,
            "tahun": self.year,
            "q": self.q or None,
            "page": self.page if self.page > 1 else None,
        }
        values.update(changed)
        return {k: v for k, v in values.items() if v not in (None, "")}

    def conditions(self) -> list[Any]:
        found = [Session.regency_id == g.regency.id]
        if self.year:
            found.append(extract("year", Session.starts_at) == self.year)
        if self.q:
            found.append(
                or_(
                    Session.title.icontains(self.q, autoescape=True),
                    Session.topic.icontains(self.q, autoescape=True),
                    Session.venue.icontains(self.q, autoescape=True),
                )
            )
        return found


@bp.get("/")
@requires(VIEW)
def index() -> Response:
    """Sessions, newest first, filtered by status, year and words (in the URL)."""
    filters = ListFilters.from_args()
    conditions = filters.conditions()
    by_status = dict.fromkeys(SessionStatus, 0)
    for status, number in db.session.execute(
        select(Session.status, func.count()).where(*conditions).group_by(Session.status)
    ):
        by_status[status] = number
    if filters.status:
        conditions.append(Session.status == filters.status)
    total = by_status[filters.status] if filters.status else sum(by_status.values())
    pages = max(1, -(-total // PER_PAGE))
    page = min(filters.page, pages)
    rows = list(
        db.session.execute(
            select(Session)
            .where(*conditions)
            .order_by(Session.starts_at.desc(), Session.id.desc())
            .limit(PER_PAGE)
            .offset((page - 1) * PER_PAGE)
        ).scalars()
    )
    return render(
        LIST_PAGE,
        block="results",  # the search form's htmx request
        sessions=rows,
        figures=sessions.session_figures([s.id for s in rows], g.regency.id),
        filters=filters,
        by_status=by_status,
        total=total,
        page=page,
        pages=pages,
        statuses=list(SessionStatus),
        can_edit=may(EDIT),
    )


# --- Planning and editing -----------------------------------------------------------------


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
        document = store_document(form.invitation_file.data, g.regency, user(), kinds=LETTER_KINDS)
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
    created = sessions.create_session(form.column_values(), g.regency, user())
    if letter is not None:
        created.invitation_document = letter
    db.session.commit()
    flash(f"Bimtek “{created.title}” direncanakan. Tentukan sasarannya.", "success")
    return done("bimtek.targets", session_id=created.id)


def _initial(found: Session) -> dict[str, Any]:
    return {
        **{name: getattr(found, name) for name in sessions.FIELD_LABELS},
        "starts_at": found.starts_at.time(),
        "ends_at": found.ends_at.time() if found.ends_at else None,
        "mode": found.mode.value,
        "status": found.status.value,
        "version": str(found.version),
        "loaded": sessions.sign_snapshot(sessions.snapshot(found)),
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
    flash("Perubahan bimtek disimpan.", "success")
    return done("bimtek.session", session_id=found.id)


def _conflict(form: EditSessionForm, found: Session) -> Response:
    """Someone saved the session since this form was loaded: keep the user's
    input, show what changed, and let a second save (new version) win."""
    changes = sessions.changes_since(sessions.read_snapshot(form.loaded.data), found)
    form.version.data = str(found.version)
    form.loaded.data = sessions.sign_snapshot(sessions.snapshot(found))
    _keep_file_message(form)
    return render(FORM_PAGE, status=409, **_form_page(form, found, conflict=changes))


@bp.post("/<int:session_id>/hapus")
@requires(MANAGE)
def delete_session(session_id: int) -> Response:
    found = session_or_404(session_id)
    title = found.title
    db.session.delete(found)
    db.session.commit()
    flash(f"Bimtek “{title}” dihapus beserta daftar pesertanya.", "success")
    return done("bimtek.index")


# --- Detail, speakers and materials --------------------------------------------------------


def _speaker_form(form: SpeakerForm | None = None) -> SpeakerForm:
    form = form or SpeakerForm(formdata=None)
    team = current_team(g.regency.id)
    members = sorted(team.members, key=lambda m: m.name) if team else []
    form.team_member.choices = [("", "— narasumber luar —")] + [
        (str(m.id), f"{m.name} ({m.position.label})") for m in members
    ]
    return form


def _detail(found: Session, **extra: Any) -> dict[str, Any]:
    context = {
        "found": found,
        "figures": sessions.figures_of(found),
        "targets": bodies.summarise_targets(found.targets),
        "speaker_form": _speaker_form() if may(EDIT) else None,
        "material_form": MaterialForm(formdata=None) if may(EDIT) else None,
        "material_hint": allowed_hint(MATERIAL_KINDS),
        "can_edit": may(EDIT),
        "can_manage": may(MANAGE),
        "notice": None,
    }
    return {**context, **extra}


@bp.get("/<int:session_id>")
@requires(VIEW)
def session(session_id: int) -> Response:
    return render(DETAIL_PAGE, **_detail(session_or_404(session_id)))


def _part_saved(found: Session, block: str, message: str) -> Response:
    if is_htmx():
        fragment = render_block(DETAIL_PAGE, block, **_detail(found, notice=message))
        return done("bimtek.session", fragment=fragment, session_id=found.id)
    flash(message, "success")
    return done("bimtek.session", session_id=found.id)


@bp.post("/<int:session_id>/narasumber")
@requires(EDIT)
def add_speaker(session_id: int) -> Response:
    found = session_or_404(session_id)
    form = _speaker_form(SpeakerForm())
    member = None
    if form.validate_on_submit() and form.team_member.data is not None:
        team = current_team(g.regency.id)
        member = (
            next((m for m in team.members if m.id == form.team_member.data), None) if team else None
        )
        if member is None:
            form.team_member.errors = ["Pilih anggota tim Penyelesaian PHP yang berlaku."]
    if form.errors:
        return render_invalid(DETAIL_PAGE, block="speakers", **_detail(found, speaker_form=form))
    if member is not None:
        speaker = Speaker(
            regency_id=g.regency.id, team_member_id=member.id, name=member.name,
            institution=f"KPU {g.regency.name}",
        )  # fmt: skip
    else:
        speaker = Speaker(
            regency_id=g.regency.id, name=form.name.data, institution=form.institution.data or None
        )
    found.speakers.append(speaker)
    db.session.commit()
    return _part_saved(found, "speakers", f"Narasumber {speaker.name} ditambahkan.")


@bp.post("/<int:session_id>/narasumber/<int:speaker_id>/hapus")
@requires(EDIT)
def remove_speaker(session_id: int, speaker_id: int) -> Response:
    found = session_or_404(session_id)
    speaker = next((s for s in found.speakers if s.id == speaker_id), None)
    if speaker is None:
        abort(404)
    db.session.delete(speaker)  # explicit, so the audit log sees it
    db.session.commit()
    return _part_saved(found, "speakers", f"Narasumber {speaker.name} dihapus.")


@bp.post("/<int:session_id>/materi")
@requires(EDIT)
def add_material(session_id: int) -> Response:
    found = session_or_404(session_id)
    form = MaterialForm()
    if not form.validate_on_submit():
        return render_invalid(DETAIL_PAGE, block="materials", **_detail(found, material_form=form))
    try:
        document = store_document(form.material_file.data, g.regency, user(), kinds=MATERIAL_KINDS)
    except DocumentError as error:
        form.material_file.errors = [error.message]
        context = _detail(found, material_form=form)
        return render(DETAIL_PAGE, block="materials", status=error.status, **context)
    found.materials.append(
        Material(regency_id=g.regency.id, document=document, title=form.title.data)
    )
    db.session.commit()
    return _part_saved(found, "materials", f"Materi “{form.title.data}” ditambahkan.")


@bp.post("/<int:session_id>/materi/<int:material_id>/hapus")
@requires(EDIT)
def remove_material(session_id: int, material_id: int) -> Response:
    """Unlink the material; its document (row and file) stays stored."""
    found = session_or_404(session_id)
    material = next((m for m in found.materials if m.id == material_id), None)
    if material is None:
        abort(404)
    db.session.delete(material)  # explicit, so the audit log sees it
    db.session.commit()
    return _part_saved(found, "materials", f"Materi “{material.title}” dilepas.")


# --- Targets ------------------------------------------------------------------------------------


def prepare_place_form(form: Any, desa_placeholder: str, tps_placeholder: str) -> None:
    """Fill a level/kecamatan/desa/TPS form's choices from the submitted
    values and let htmx reload the desa and TPS options when the select above
    changes (without JavaScript: the refresh button)."""
    regency_id = g.regency.id
    kecamatan_id = _safe_id(form.kecamatan.data)
    desa_id = _safe_id(form.desa.data)
    form.kecamatan.choices = bodies.kecamatan_choices(regency_id)
    form.desa.choices = bodies.desa_choices(regency_id, kecamatan_id, desa_placeholder)
    form.tps.choices = bodies.tps_choices(regency_id, desa_id, tps_placeholder)
    form.kecamatan.render_kw = {
        "hx-get": url_for("bimtek.desa_options"),
        "hx-target": "#desa",
        "hx-swap": "innerHTML",
        "hx-vals": json.dumps({"kosong": desa_placeholder, "tps_kosong": tps_placeholder}),
    }
    form.desa.render_kw = {
        "hx-get": url_for("bimtek.tps_options"),
        "hx-target": "#tps",
        "hx-swap": "innerHTML",
        "hx-vals": json.dumps({"kosong": tps_placeholder}),
    }


def _safe_id(value: Any) -> int | None:
    try:
        return parse_id(value)
    except ValueError:
        return None


def place_problems(form: Any, *, exact: bool) -> dict[str, str]:
    """Problems of a place form: each level needs its place (``exact``: the
    body itself, as for a participant; else an area, as for a target)."""
    level = Level(form.level.data) if form.level.data in Level._value2member_map_ else None
    kecamatan_id, desa_id, tps_id = form.kecamatan.data, form.desa.data, form.tps.data
    problems: dict[str, str] = {}
    if level is None:
        return problems  # the select's own message says so
    if kecamatan_id is None:
        problems["kecamatan"] = "Pilih kecamatan."
    if exact and level is not Level.PPK and desa_id is None:
        problems["desa"] = "Pilih desa/kelurahan (wajib untuk PPS dan KPPS)."
    if exact and level is Level.KPPS and tps_id is None:
        problems["tps"] = "Pilih TPS (wajib untuk KPPS)."
    problems.update(bodies.locate(g.regency.id, kecamatan_id, desa_id, tps_id))
    return problems


def chosen_place(form: Any) -> bodies.Place:
    level = Level(form.level.data)
    desa_id = form.desa.data if level is not Level.PPK else None
    tps_id = form.tps.data if level is Level.KPPS else None
    return bodies.Place(level, form.kecamatan.data, desa_id, tps_id)


def _targets_page(found: Session, form: TargetForm, **extra: Any) -> dict[str, Any]:
    return {
        "found": found,
        "form": form,
        "targets": bodies.summarise_targets(found.targets),
        "can_edit": may(EDIT),
        "refresh_name": REFRESH_OPTIONS,
        "notice": None,
        **extra,
    }


@bp.route("/<int:session_id>/sasaran", methods=["GET", "POST"])
@requires(VIEW, POST=EDIT)
def targets(session_id: int) -> Response:
    """The bodies a session is for, with their counts; EDIT adds to them."""
    found = session_or_404(session_id)
    if request.method == "GET":
        form = TargetForm(formdata=None)
        prepare_place_form(form, "— semua desa/kelurahan —", "— semua TPS —")
        return render(TARGETS_PAGE, **_targets_page(found, form))
    if not may(EDIT):
        abort(403)
    form = TargetForm()
    prepare_place_form(form, "— semua desa/kelurahan —", "— semua TPS —")
    if REFRESH_OPTIONS in request.form:
        return render(TARGETS_PAGE, **_targets_page(found, form))
    valid = form.validate_on_submit()
    problems = place_problems(form, exact=False) if valid else {}
    for name, message in problems.items():
        getattr(form, name).errors = [message]
    refusal = None if problems or not valid else sessions.add_target(found, chosen_place(form))
    if refusal:
        form.level.errors = [refusal]
    if not valid or problems or refusal:
        return render_invalid(TARGETS_PAGE, block="targets", **_targets_page(found, form))
    db.session.commit()
    return _targets_saved(found, "Sasaran ditambahkan.")


def _targets_saved(found: Session, message: str) -> Response:
    if is_htmx():
        form = TargetForm(formdata=None)
        prepare_place_form(form, "— semua desa/kelurahan —", "— semua TPS —")
        context = _targets_page(found, form, notice=message)
        return done("bimtek.targets", fragment=render_block(TARGETS_PAGE, "targets", **context),
                    session_id=found.id)  # fmt: skip
    flash(message, "success")
    return done("bimtek.targets", session_id=found.id)


@bp.post("/<int:session_id>/sasaran/<int:target_id>/hapus")
@requires(EDIT)
def remove_target(session_id: int, target_id: int) -> Response:
    found = session_or_404(session_id)
    target = next((t for t in found.targets if t.id == target_id), None)
    if target is None:
        abort(404)
    db.session.delete(target)  # explicit, so the audit log sees it
    db.session.commit()
    return _targets_saved(found, "Sasaran dihapus.")


# --- Cascading options ------------------------------------------------------------------


def _options(choices: bodies.Choices, reset: bodies.Choices | None = None) -> Response:
    body = render_template(OPTIONS_FRAGMENT, choices=choices, reset=reset)
    return make_response(body)


def _placeholder(name: str, default: str) -> str:
    """The first option's text the form asked for (a short label, escaped on output)."""
    return request.args.get(name, default)[:40] or default


@bp.get("/pilihan/desa")
@requires(VIEW)
def desa_options() -> Response:
    """The desa of a kecamatan of this regency, as <option>s; htmx also gets
    the TPS select emptied (out of band), since its desa is no longer chosen."""
    placeholder = _placeholder("kosong", "— pilih desa/kelurahan —")
    tps_placeholder = _placeholder("tps_kosong", "— pilih TPS —")
    choices = bodies.desa_choices(
        g.regency.id, _safe_id(request.args.get("kecamatan")), placeholder
    )
    return _options(choices, [("", tps_placeholder)] if is_htmx() else None)


@bp.get("/pilihan/tps")
@requires(VIEW)
def tps_options() -> Response:
    placeholder = _placeholder("kosong", "— pilih TPS —")
    return _options(
        bodies.tps_choices(g.regency.id, _safe_id(request.args.get("desa")), placeholder)
    )
