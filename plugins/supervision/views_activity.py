"""One activity: record it (with the bodies visited, chosen through the
region tree), edit it without overwriting someone else's save, and on its
page add bodies, findings (linked to another plugin's record at the same
place), follow-ups (closed with a date and an evidence document) and
documents.

Every mutation is a plain form post (303 after success); under htmx the
section it changed is swapped in place, and a refused input comes back as
that section with the reason next to the field (422)."""

from typing import Any

from flask import Response, abort, flash, g, make_response, render_template, request
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from phpnet.auth.models import User
from phpnet.contrib import RecordLink
from phpnet.documents.service import DocumentError, allowed_hint, human_size, store_document
from phpnet.extensions import db
from phpnet.htmx import done, is_htmx, render, render_invalid
from phpnet.plugin_system.permissions import has_permission, requires
from phpnet.teams.models import TeamMember, current_team
from plugins.supervision import bodies, clock, linking, report
from plugins.supervision.blueprint import EDIT, MANAGE, VIEW, bp
from plugins.supervision.forms import (
    MAX_INTEGER,
    ActivityForm,
    CompleteFollowUpForm,
    DocumentForm,
    EditActivityForm,
    FindingForm,
    FollowUpForm,
    LinkForm,
)
from plugins.supervision.models import (
    Activity,
    ActivityDocument,
    ActivityMember,
    Body,
    DocumentKind,
    Finding,
    FollowUp,
    FollowUpStatus,
    Kind,
    Severity,
)
from plugins.supervision.queries import follow_up_state, with_details

FORM_PAGE = "supervision/activity_form.html"
DETAIL_PAGE = "supervision/activity.html"
CHOICES_FRAGMENT = "supervision/_body_choices.html"
TPS_FRAGMENT = "supervision/_tps_choices.html"
DOCUMENT_KINDS = frozenset({"pdf", "jpeg", "png", "docx"})
STALE = (
    "Tindak lanjut ini sudah diubah atau sudah diselesaikan orang lain; tidak ada yang disimpan."
)
# Sections whose forms offer the rows of another: swapped along with it (out of band).
RELATED_SECTIONS = {"bodies": ("findings",), "findings": ("follow_ups",)}
FIELD_LABELS = {
    "kind": "Jenis kegiatan",
    "started_on": "Tanggal mulai",
    "ended_on": "Tanggal selesai",
    "purpose": "Maksud dan tujuan",
    "recommendations": "Rekomendasi",
    "members": "Anggota tim",
}


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _may(permission: str) -> bool:
    return has_permission(current_user, g.regency, permission)


def _scoped(model: Any, object_id: int, **extra: Any) -> Any:
    """The row of this regency, or 404 (ids beyond an INTEGER too)."""
    if object_id > MAX_INTEGER:
        abort(404)
    found = db.session.execute(
        select(model).filter_by(id=object_id, regency_id=g.regency.id, **extra)
    ).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def activity_or_404(activity_id: int) -> Activity:
    if activity_id > MAX_INTEGER:
        abort(404)
    found = db.session.execute(
        with_details(select(Activity)).filter_by(id=activity_id, regency_id=g.regency.id)
    ).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def member_choices(regency_id: int, keep: set[int] | None = None) -> list[tuple[int, str]]:
    """Members of the team in force; members an activity already names stay
    offered when a newer decree left them out."""
    team = current_team(regency_id)
    members = sorted(team.members, key=lambda m: m.name) if team else []
    choices = [(m.id, f"{m.name} ({m.position.label})") for m in members]
    missing = (keep or set()) - {m.id for m in members}
    if missing:
        kept = db.session.execute(
            select(TeamMember).where(
                TeamMember.id.in_(missing), TeamMember.regency_id == regency_id
            )
        ).scalars()
        choices += [(m.id, f"{m.name} (tim terdahulu)") for m in kept]
    return choices


# --- Recording an activity ----------------------------------------------------------------


def _form_page(form: ActivityForm, choice: bodies.Choice | None, **extra: Any) -> dict[str, Any]:
    return {
        "form": form,
        "activity": extra.pop("activity", None),
        "has_team": bool(form.members.choices),
        **({"chooser": bodies.chooser(g.regency.id, choice)} if choice is not None else {}),
        **extra,
    }


@bp.route("/baru", methods=["GET", "POST"])
@requires(EDIT)
def new_activity() -> Response:
    form = ActivityForm()
    form.set_members(member_choices(g.regency.id))
    choice = bodies.read_choice(request.form if request.method == "POST" else request.args)
    if request.method == "GET" or bodies.REFRESH in request.form:
        choice.errors.clear()  # only reloading the choices: nothing is judged yet
        return render(FORM_PAGE, **_form_page(form, choice))
    valid = form.validate_on_submit()
    places = bodies.resolve(choice, g.regency.id)
    if not valid or not places:
        return render_invalid(FORM_PAGE, **_form_page(form, choice))
    activity = Activity(regency_id=g.regency.id, created_by_id=_user().id, **form.column_values())
    db.session.add(activity)
    bodies.add_bodies(activity, places)
    _set_members(activity, form.members.data or [])
    db.session.commit()
    flash(f"Kegiatan {activity.kind.label.lower()} #{activity.id} dicatat.", "success")
    return done("supervision.activity", activity_id=activity.id)


def _set_members(activity: Activity, member_ids: list[int]) -> None:
    wanted = set(member_ids)
    for went in list(activity.members):
        if went.team_member_id not in wanted:
            activity.members.remove(went)
            db.session.delete(went)
    known = {went.team_member_id for went in activity.members}
    for member_id in sorted(wanted - known):
        activity.members.append(
            ActivityMember(regency_id=activity.regency_id, team_member_id=member_id)
        )


def _stored(activity: Activity) -> dict[str, Any]:
    return {
        "kind": activity.kind,
        "started_on": activity.started_on,
        "ended_on": activity.ended_on,
        "purpose": activity.purpose,
        "recommendations": activity.recommendations,
        "members": sorted(m.team_member_id for m in activity.members),
    }


def _shown(key: str, value: Any) -> str:
    if value is None or value == "":
        return "(kosong)"
    if isinstance(value, Kind):
        return value.label
    if key == "members":
        names = dict(
            db.session.execute(
                select(TeamMember.id, TeamMember.name).where(TeamMember.id.in_(value))
            )
            .tuples()
            .all()
        )
        return ", ".join(names.get(i, str(i)) for i in value) or "(kosong)"
    return str(value)


@bp.route("/<int:activity_id>/ubah", methods=["GET", "POST"])
@requires(EDIT)
def edit_activity(activity_id: int) -> Response:
    activity = activity_or_404(activity_id)
    stored = _stored(activity)
    if request.method == "GET":
        form = EditActivityForm(
            data={**stored, "kind": activity.kind.value, "version": activity.version}
        )
    else:
        form = EditActivityForm()
    form.set_members(member_choices(g.regency.id, set(stored["members"])))
    if request.method == "GET":
        return render(FORM_PAGE, **_form_page(form, None, activity=activity))
    if not form.validate_on_submit():
        return render_invalid(FORM_PAGE, **_form_page(form, None, activity=activity))
    if form.version.data != activity.version:
        return _conflict(form, activity)
    for key, value in form.column_values().items():
        setattr(activity, key, value)
    _set_members(activity, form.members.data or [])
    try:
        db.session.commit()
    except StaleDataError:  # saved by someone else since this request loaded it
        db.session.rollback()
        return _conflict(form, activity)
    flash(f"Perubahan kegiatan #{activity.id} disimpan.", "success")
    return done("supervision.activity", activity_id=activity.id)


def _conflict(form: EditActivityForm, activity: Activity) -> Response:
    """409: someone saved first. The user's input stays in the form, which
    now carries the current version; the stored values that differ from it
    are listed, so saving again is a deliberate choice."""
    db.session.refresh(activity)
    stored = _stored(activity)
    submitted = {
        "kind": Kind(form.kind.data) if form.kind.data in Kind._value2member_map_ else None,
        "started_on": form.started_on.data,
        "ended_on": form.ended_on.data or form.started_on.data,
        "purpose": form.purpose.data,
        "recommendations": form.recommendations.data or None,
        "members": sorted(set(form.members.data or [])),
    }
    changes = [
        {
            "label": FIELD_LABELS[key],
            "yours": _shown(key, submitted[key]),
            "stored": _shown(key, value),
        }
        for key, value in stored.items()
        if submitted[key] != value
    ]
    form.version.raw_data = [str(activity.version)]
    form.version.data = activity.version
    context = _form_page(form, None, activity=activity, conflict={"changes": changes})
    return render(FORM_PAGE, status=409, **context)


@bp.post("/<int:activity_id>/hapus")
@requires(MANAGE)
def delete_activity(activity_id: int) -> Response:
    activity = activity_or_404(activity_id)
    label = f"{activity.kind.label} #{activity.id}"
    db.session.delete(activity)
    db.session.commit()
    flash(f"Kegiatan {label} dihapus. Dokumennya tetap tersimpan.", "success")
    return done("supervision.index")


# --- The region tree: the chooser's options -----------------------------------------------


@bp.get("/pilihan/lembaga")
@requires(VIEW)
def body_choices() -> Response:
    """The PPK, PPS and TPS-desa choices of one kecamatan (htmx fragment)."""
    choice = bodies.read_choice(request.args)
    choice.errors.clear()
    return make_response(
        render_template(CHOICES_FRAGMENT, chooser=bodies.chooser(g.regency.id, choice))
    )


@bp.get("/pilihan/tps")
@requires(VIEW)
def tps_choices() -> Response:
    """The KPPS (TPS) checkboxes of one desa (htmx fragment)."""
    choice = bodies.read_choice(request.args)
    choice.errors.clear()
    return make_response(
        render_template(TPS_FRAGMENT, chooser=bodies.chooser(g.regency.id, choice))
    )


# --- The activity's page ------------------------------------------------------------------


def _detail(activity: Activity, **extra: Any) -> dict[str, Any]:
    today = clock.today()
    can_edit = _may(EDIT)
    finding_form = extra.pop("finding_form", None) or FindingForm(formdata=None)
    finding_form.set_bodies([(b.id, b.label) for b in activity.bodies])
    follow_up_form = extra.pop("follow_up_form", None) or FollowUpForm(formdata=None)
    follow_up_form.set_options(
        [(f.id, f"Temuan {n}: {f.description[:60]}") for n, f in enumerate(activity.findings, 1)],
        member_choices(g.regency.id, {m.team_member_id for m in activity.members}),
    )
    choice = extra.pop("choice", None) or bodies.Choice()
    return {
        "activity": activity,
        "body_counts": bodies.counts(activity.bodies),
        "links": {
            f.id: linking.links_of(g.regency, f, can_edit=can_edit) for f in activity.findings
        },
        "states": {f.id: follow_up_state(f, today) for f in activity.follow_ups},
        "today": today,
        "can_edit": can_edit,
        "can_manage": _may(MANAGE),
        "finding_form": finding_form,
        "follow_up_form": follow_up_form,
        "complete_forms": extra.pop("complete_forms", {}),
        "document_form": extra.pop("document_form", None) or DocumentForm(formdata=None),
        "document_hint": allowed_hint(DOCUMENT_KINDS),
        "human_size": human_size,
        "chooser": bodies.chooser(g.regency.id, choice) if can_edit else None,
        "notice": None,
        "notice_block": None,
        "body_refusal": None,
        "link_refusal": {},
        "follow_up_refusal": None,
        "out_of_band": False,
        **extra,
    }


@bp.get("/<int:activity_id>")
@requires(VIEW)
def activity(activity_id: int) -> Response:
    return render(DETAIL_PAGE, **_detail(activity_or_404(activity_id)))


@bp.get("/<int:activity_id>/cetak")
@requires(VIEW)
def activity_print(activity_id: int) -> Response:
    """The activity as a report an office files (laporan kegiatan)."""
    return report.report_page([activity_or_404(activity_id)], single=True)


def _section_saved(activity_id: int, block: str, message: str) -> Response:
    """After a change on the activity's page: the section again under htmx
    (read afresh), a flash and the page otherwise."""
    db.session.expire_all()
    if is_htmx():
        context = _detail(activity_or_404(activity_id), notice=message, notice_block=block)
        fragment = render_block(DETAIL_PAGE, block, **context)
        for related in RELATED_SECTIONS.get(block, ()):  # their selects offer what changed
            fragment += render_block(DETAIL_PAGE, related, **{**context, "out_of_band": True})
        return done("supervision.activity", fragment=fragment, activity_id=activity_id)
    flash(message, "success")
    return done("supervision.activity", activity_id=activity_id)


def _section_invalid(activity: Activity, block: str, status: int = 422, **extra: Any) -> Response:
    return render(DETAIL_PAGE, block=block, status=status, **_detail(activity, **extra))


@bp.post("/<int:activity_id>/lembaga")
@requires(EDIT)
def add_bodies(activity_id: int) -> Response:
    activity = activity_or_404(activity_id)
    choice = bodies.read_choice(request.form)
    if bodies.REFRESH in request.form:  # without JavaScript: reload the choices
        choice.errors.clear()
        return render(DETAIL_PAGE, block="bodies", **_detail(activity, choice=choice))
    places = bodies.resolve(choice, g.regency.id)
    if not places:
        return _section_invalid(activity, "bodies", choice=choice)
    added = bodies.add_bodies(activity, places)
    db.session.commit()
    skipped = len(places) - added
    message = f"{added} lembaga ditambahkan." + (
        f" {skipped} lembaga sudah tercatat sebelumnya." if skipped else ""
    )
    return _section_saved(activity.id, "bodies", message)


@bp.post("/<int:activity_id>/lembaga/<int:body_id>/hapus")
@requires(EDIT)
def remove_body(activity_id: int, body_id: int) -> Response:
    activity = activity_or_404(activity_id)
    body = _scoped(Body, body_id, activity_id=activity.id)
    if len(activity.bodies) == 1:
        return _section_invalid(
            activity, "bodies", status=409,
            body_refusal="Kegiatan harus punya sedikitnya satu lembaga; tambahkan yang lain dulu.",
        )  # fmt: skip
    label = body.label
    db.session.delete(body)
    db.session.commit()
    return _section_saved(activity.id, "bodies", f"{label} dilepas dari kegiatan ini.")


# --- Findings -----------------------------------------------------------------------------


@bp.post("/<int:activity_id>/temuan")
@requires(EDIT)
def add_finding(activity_id: int) -> Response:
    activity = activity_or_404(activity_id)
    form = FindingForm()
    form.set_bodies([(b.id, b.label) for b in activity.bodies])
    if not form.validate_on_submit():
        return _section_invalid(activity, "findings", finding_form=form)
    finding = Finding(
        regency_id=g.regency.id,
        description=form.description.data,
        severity=Severity(form.severity.data),
        body_id=form.body.data,
    )
    activity.findings.append(finding)
    db.session.commit()
    return _section_saved(activity.id, "findings", "Temuan dicatat.")


@bp.post("/<int:activity_id>/temuan/<int:finding_id>/hapus")
@requires(EDIT)
def remove_finding(activity_id: int, finding_id: int) -> Response:
    activity = activity_or_404(activity_id)
    finding = _scoped(Finding, finding_id, activity_id=activity.id)
    db.session.delete(finding)
    db.session.commit()
    return _section_saved(activity.id, "findings", "Temuan dihapus.")


@bp.post("/<int:activity_id>/temuan/<int:finding_id>/tautan")
@requires(EDIT)
def link_finding(activity_id: int, finding_id: int) -> Response:
    """Link the finding to a record another plugin offers at its place; only
    a record still offered there is accepted."""
    activity = activity_or_404(activity_id)
    finding = _scoped(Finding, finding_id, activity_id=activity.id)
    form = LinkForm()
    offered = {
        (r.plugin, r.record_id): r
        for r in linking.records_at(g.regency, linking.place_of(finding.body))
    }
    record: RecordLink | None = None
    if form.validate_on_submit():
        record = offered.get((form.plugin.data, form.record_id.data))
    if record is None:
        refusal = {
            finding.id: "Catatan itu tidak (lagi) ada di tempat temuan ini. Pilih dari daftar."
        }
        return _section_invalid(activity, "findings", link_refusal=refusal)
    linking.link(finding, record)
    db.session.commit()
    return _section_saved(activity.id, "findings", f"Temuan ditautkan ke {record.label}.")


@bp.post("/<int:activity_id>/temuan/<int:finding_id>/lepas-tautan")
@requires(EDIT)
def unlink_finding(activity_id: int, finding_id: int) -> Response:
    activity = activity_or_404(activity_id)
    finding = _scoped(Finding, finding_id, activity_id=activity.id)
    finding.link_plugin = finding.link_record_id = finding.link_label = None
    db.session.commit()
    return _section_saved(activity.id, "findings", "Tautan temuan dilepas.")


# --- Follow-ups ---------------------------------------------------------------------------


@bp.post("/<int:activity_id>/tindak-lanjut")
@requires(EDIT)
def add_follow_up(activity_id: int) -> Response:
    activity = activity_or_404(activity_id)
    form = FollowUpForm()
    form.set_options(
        [(f.id, f.description[:60]) for f in activity.findings],
        member_choices(g.regency.id, {m.team_member_id for m in activity.members}),
    )
    if not form.validate_on_submit():
        return _section_invalid(activity, "follow_ups", follow_up_form=form)
    activity.follow_ups.append(
        FollowUp(
            regency_id=g.regency.id,
            action=form.action.data,
            finding_id=form.finding.data,
            owner_id=form.owner.data,
            due_on=form.due_on.data,
        )
    )
    db.session.commit()
    return _section_saved(activity.id, "follow_ups", "Tindak lanjut dicatat.")


@bp.post("/<int:activity_id>/tindak-lanjut/<int:follow_up_id>/selesai")
@requires(EDIT)
def complete_follow_up(activity_id: int, follow_up_id: int) -> Response:
    """Close a follow-up with its completion date and evidence; someone who
    closed it first wins (409, nothing stored)."""
    activity = activity_or_404(activity_id)
    follow_up = _scoped(FollowUp, follow_up_id, activity_id=activity.id)
    form = CompleteFollowUpForm()
    forms = {follow_up.id: form}
    if follow_up.status is FollowUpStatus.DONE or (
        form.version.data is not None and form.version.data != follow_up.version
    ):
        return _section_invalid(activity, "follow_ups", status=409, follow_up_refusal=STALE)
    if not form.validate_on_submit():
        return _section_invalid(activity, "follow_ups", complete_forms=forms)
    if form.done_on.data < activity.started_on:
        form.done_on.errors.append("Tanggal selesai tidak boleh sebelum kegiatan dimulai.")
        return _section_invalid(activity, "follow_ups", complete_forms=forms)
    try:
        document = store_document(form.evidence_file.data, g.regency, _user(), kinds=DOCUMENT_KINDS)
    except DocumentError as error:
        form.evidence_file.errors.append(error.message)
        return _section_invalid(activity, "follow_ups", status=error.status, complete_forms=forms)
    follow_up.status = FollowUpStatus.DONE
    follow_up.done_on = form.done_on.data
    follow_up.done_note = form.done_note.data or None
    follow_up.evidence_document = document
    try:
        db.session.commit()
    except StaleDataError:  # closed by someone else in the meantime
        db.session.rollback()
        return _section_invalid(
            activity_or_404(activity_id), "follow_ups", status=409, follow_up_refusal=STALE
        )
    return _section_saved(activity.id, "follow_ups", "Tindak lanjut diselesaikan.")


# --- Documents ----------------------------------------------------------------------------


@bp.post("/<int:activity_id>/dokumen")
@requires(EDIT)
def add_document(activity_id: int) -> Response:
    activity = activity_or_404(activity_id)
    form = DocumentForm()
    if not form.validate_on_submit():
        return _section_invalid(activity, "documents", document_form=form)
    try:
        document = store_document(form.document_file.data, g.regency, _user(), kinds=DOCUMENT_KINDS)
    except DocumentError as error:
        form.document_file.errors.append(error.message)
        return _section_invalid(activity, "documents", status=error.status, document_form=form)
    kind = DocumentKind(form.kind.data)
    activity.documents.append(
        ActivityDocument(regency_id=g.regency.id, document=document, kind=kind)
    )
    db.session.commit()
    return _section_saved(
        activity.id, "documents", f"{kind.label} “{document.original_name}” ditambahkan."
    )


@bp.post("/<int:activity_id>/dokumen/<int:attachment_id>/hapus")
@requires(EDIT)
def remove_document(activity_id: int, attachment_id: int) -> Response:
    """Unlink the document; its file stays stored."""
    activity = activity_or_404(activity_id)
    attachment = _scoped(ActivityDocument, attachment_id, activity_id=activity.id)
    name = attachment.document.original_name
    db.session.delete(attachment)  # explicitly: the audit log sees explicit deletes
    db.session.commit()
    return _section_saved(activity.id, "documents", f"Dokumen “{name}” dilepas dari kegiatan ini.")
