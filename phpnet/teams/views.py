"""Tim Penyelesaian PHP pages: the decree (SK) in force with its members,
earlier decrees as read-only history, and inline (htmx) editing of members.

The decree in force is the one with the latest SK date (then the latest
recorded). Only its members can change; a superseded team is history."""

from typing import Any

from flask import Blueprint, Response, abort, flash, g, redirect, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import func
from sqlalchemy.orm.exc import StaleDataError

from phpnet.access import Access, current_access, require, scoped_or_404
from phpnet.audit.models import AuditEntry
from phpnet.auth.models import User
from phpnet.documents.service import DocumentError, allowed_hint, store_document
from phpnet.extensions import db
from phpnet.htmx import done, is_htmx, render, render_invalid
from phpnet.teams.forms import DecreeForm, EditMemberForm, MemberForm, ScanForm
from phpnet.teams.models import Position, Team, TeamMember, current_team
from phpnet.templating import waktu

bp = Blueprint("teams", __name__)

PAGE = "teams/team.html"
DECREE_PAGE = "teams/decree_form.html"
POSITION_ORDER = {position: rank for rank, position in enumerate(Position)}
COPIED_FIELDS = ("name", "position", "unit", "unit_other", "nip", "phone", "email", "user_id")


def _ensure_current(team: Team) -> None:
    """A superseded team is history: its members can no longer change."""
    current = current_team(g.regency.id)
    if current is None or current.id != team.id:
        abort(403)


def _regency_accounts() -> list[User]:
    return list(
        db.session.execute(
            db.select(User).filter_by(regency_id=g.regency.id).order_by(User.full_name)
        ).scalars()
    )


def _member_form(form_class: type[MemberForm] = MemberForm, **kwargs: Any) -> Any:
    form = form_class(**kwargs)
    form.set_accounts(_regency_accounts())
    return form


def _edit_form(member: TeamMember) -> EditMemberForm:
    return _member_form(EditMemberForm, obj=member, prefix=f"member-{member.id}")


def _history() -> list[tuple[Team, int]]:
    member_count = (
        db.select(func.count(TeamMember.id))
        .where(TeamMember.team_id == Team.id)
        .correlate(Team)
        .scalar_subquery()
    )
    rows = db.session.execute(
        db.select(Team, member_count)
        .filter_by(regency_id=g.regency.id)
        .order_by(Team.sk_date.desc(), Team.id.desc())
    ).tuples()
    return list(rows)


def _linked_accounts(members: list[TeamMember]) -> dict[int, User]:
    ids = {m.user_id for m in members if m.user_id is not None}
    if not ids:
        return {}
    users = db.session.execute(db.select(User).where(User.id.in_(ids))).scalars()
    return {u.id: u for u in users}


def _team_context(
    team: Team | None,
    *,
    add_form: MemberForm | None = None,
    edit_form: MemberForm | None = None,
    edit_member_id: int | None = None,
    scan_form: ScanForm | None = None,
    notice: str | None = None,
) -> dict[str, Any]:
    """Everything the team page and its fragments need."""
    current = current_team(g.regency.id)
    is_current = team is not None and current is not None and team.id == current.id
    editable = is_current and current_access() >= Access.MANAGE
    members = sorted(team.members, key=lambda m: (POSITION_ORDER[m.position], m.id)) if team else []
    if editable:
        add_form = add_form or _member_form(formdata=None)
        scan_form = scan_form or ScanForm(formdata=None)
    return {
        "team": team,
        "current": current,
        "is_current": is_current,
        "editable": editable,
        "can_manage": current_access() >= Access.MANAGE,
        "members": members,
        "accounts": _linked_accounts(members),
        "history": _history(),
        "add_form": add_form,
        "edit_form": edit_form,
        "edit_member_id": edit_member_id,
        "scan_form": scan_form,
        "scan_hint": allowed_hint({"pdf"}),
        "notice": notice,
    }


def _saved(message: str, block: str | None, **context: Any) -> Response:
    """After a change: htmx gets the re-rendered ``block`` (nothing for a
    removed row); a plain form post gets a flash and 303 to the team page."""
    if is_htmx():
        fragment = render_block(PAGE, block, **context) if block else ""
        return done("teams.index", fragment=fragment)
    flash(message, "success")
    return done("teams.index")


@bp.get("/r/<regency>/tim/")
@require(Access.READ)
def index() -> Any:
    return render(PAGE, **_team_context(current_team(g.regency.id)))


@bp.get("/r/<regency>/tim/<int:team_id>")
@require(Access.READ)
def show(team_id: int) -> Any:
    return render(PAGE, **_team_context(scoped_or_404(Team, team_id)))


@bp.route("/r/<regency>/tim/sk/baru", methods=["GET", "POST"])
@require(Access.MANAGE)
def new_decree() -> Any:
    current = current_team(g.regency.id)
    form = DecreeForm()
    context = {"form": form, "current": current, "scan_hint": allowed_hint({"pdf"})}
    if not form.validate_on_submit():
        if request.method == "POST":
            return render_invalid(DECREE_PAGE, **context)
        return render(DECREE_PAGE, **context)
    team = Team(
        regency_id=g.regency.id,
        sk_number=form.sk_number.data,
        sk_date=form.sk_date.data,
        signed_by=form.signed_by.data,
    )
    if form.scan.data:
        try:
            team.document = store_document(
                form.scan.data, g.regency, current_user._get_current_object(), kinds={"pdf"}
            )
        except DocumentError as error:
            form.scan.errors.append(error.message)
            return render(DECREE_PAGE, status=error.status, **context)
    if current is not None and form.copy_members.data:
        team.members = [_copy_member(member) for member in current.members]
    db.session.add(team)
    db.session.commit()
    flash(_decree_message(team, current), "success")
    return redirect(url_for("teams.index"), 303)


def _copy_member(member: TeamMember) -> TeamMember:
    copy = TeamMember(regency_id=g.regency.id)
    for name in COPIED_FIELDS:
        setattr(copy, name, getattr(member, name))
    return copy


def _decree_message(team: Team, previous: Team | None) -> str:
    if previous is not None and (team.sk_date, team.id) < (previous.sk_date, previous.id):
        return (
            f"SK nomor {team.sk_number} dicatat sebagai riwayat: tanggalnya lebih awal "
            f"daripada SK yang berlaku (nomor {previous.sk_number})."
        )
    return f"SK nomor {team.sk_number} dicatat dan kini berlaku."


@bp.post("/r/<regency>/tim/<int:team_id>/pindaian")
@require(Access.MANAGE)
def upload_scan(team_id: int) -> Any:
    """Attach (or replace) the scanned decree; an earlier scan stays stored."""
    team = scoped_or_404(Team, team_id)
    _ensure_current(team)
    form = ScanForm()
    if form.validate_on_submit():
        try:
            team.document = store_document(
                form.scan.data, g.regency, current_user._get_current_object(), kinds={"pdf"}
            )
        except DocumentError as error:
            form.scan.errors.append(error.message)
            return render(PAGE, status=error.status, **_team_context(team, scan_form=form))
        db.session.commit()
        flash("Pindaian SK disimpan.", "success")
        return redirect(url_for("teams.index"), 303)
    return render_invalid(PAGE, **_team_context(team, scan_form=form))


@bp.post("/r/<regency>/tim/<int:team_id>/anggota")
@require(Access.MANAGE)
def add_member(team_id: int) -> Any:
    team = scoped_or_404(Team, team_id)
    _ensure_current(team)
    form = _member_form()
    if not form.validate_on_submit():
        return render_invalid(PAGE, block="members", **_team_context(team, add_form=form))
    member = TeamMember(team=team, regency_id=g.regency.id)
    form.apply_to(member)
    db.session.add(member)
    db.session.commit()
    message = f"{member.name} ditambahkan ke tim."
    return _saved(message, "members", **_team_context(team, notice=message))


@bp.get("/r/<regency>/tim/anggota/<int:member_id>")
@require(Access.READ)
def member_row(member_id: int) -> Any:
    """One member's row (htmx: to cancel an edit); a page otherwise."""
    member = scoped_or_404(TeamMember, member_id)
    if not is_htmx():
        return redirect(
            url_for("teams.show", team_id=member.team_id, _anchor=f"member-{member_id}")
        )
    return render(PAGE, block="member_row", member=member, **_team_context(member.team))


@bp.route("/r/<regency>/tim/anggota/<int:member_id>/ubah", methods=["GET", "POST"])
@require(Access.MANAGE)
def edit_member(member_id: int) -> Any:
    member = scoped_or_404(TeamMember, member_id)
    _ensure_current(member.team)
    form = _edit_form(member)
    if form.validate_on_submit():
        if form.version.data is not None and form.version.data != member.version:
            return _edit_conflict(member, form)
        form.apply_to(member)
        try:
            db.session.commit()
        except StaleDataError:  # another edit committed between our read and write
            db.session.rollback()
            return _edit_conflict(scoped_or_404(TeamMember, member_id), form)
        return _saved(
            f"Data {member.name} diperbarui.",
            "member_row",
            member=member,
            **_team_context(member.team),
        )
    context = _team_context(member.team, edit_form=form, edit_member_id=member.id)
    status = 422 if request.method == "POST" else 200
    return render(PAGE, block="member_edit_row", status=status, member=member, **context)


def _edit_conflict(member: TeamMember, form: EditMemberForm) -> Response:
    """Someone saved this member after the form was opened: nothing is
    overwritten; the person keeps their input and is told who changed it.
    The form now carries the stored version, so saving again is a choice
    made knowingly. htmx swaps only 2xx and 422 (base.html), hence 422."""
    form.version.data = member.version
    form.version.raw_data = [str(member.version)]
    actor, moment = _last_change(member)
    conflict = (
        f"Data {member.name} telah diubah oleh {actor} pada {waktu(moment)} setelah formulir "
        "ini dibuka, sehingga isian Anda belum disimpan. Isian Anda masih ada di formulir: "
        "periksa lalu simpan lagi bila memang ingin menggantinya."
    )
    context = _team_context(member.team, edit_form=form, edit_member_id=member.id)
    return render(
        PAGE,
        block="member_edit_row",
        status=422 if is_htmx() else 409,
        member=member,
        conflict=conflict,
        **context,
    )


def _last_change(member: TeamMember) -> tuple[str, Any]:
    entry = db.session.execute(
        db.select(AuditEntry.actor, AuditEntry.at)
        .filter_by(object_type=TeamMember.__tablename__, object_id=str(member.id))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    return (entry.actor, entry.at) if entry else ("pengguna lain", None)


@bp.post("/r/<regency>/tim/anggota/<int:member_id>/hapus")
@require(Access.MANAGE)
def delete_member(member_id: int) -> Any:
    member = scoped_or_404(TeamMember, member_id)
    _ensure_current(member.team)
    name = member.name
    db.session.delete(member)
    db.session.commit()
    return _saved(f"{name} dihapus dari tim.", None)
