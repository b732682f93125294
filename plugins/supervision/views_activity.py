"""Recording an activity (with the bodies visited, chosen through the region
tree), editing it without overwriting someone else's save, and deleting it.

Every mutation is a plain form post (303 after success); a refused input
comes back as the form with the reason next to the field (422)."""

from typing import Any

from flask import Response, g, request
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from phpnet.plugin_api import (
    TeamMember,
    current_account,
    db,
    render,
    render_invalid,
    requires,
    saved,
)
from plugins.supervision import bodies
from plugins.supervision.activity_page import activity_or_404, member_choices
from plugins.supervision.blueprint import EDIT, MANAGE, VIEW, bp
from plugins.supervision.forms import ActivityForm, EditActivityForm
from plugins.supervision.models import Activity, ActivityMember, Kind

FORM_PAGE = "supervision/activity_form.html"
CHOICES_FRAGMENT = "supervision/_body_choices.html"
TPS_FRAGMENT = "supervision/_tps_choices.html"
FIELD_LABELS = {
    "kind": "Jenis kegiatan",
    "started_on": "Tanggal mulai",
    "ended_on": "Tanggal selesai",
    "purpose": "Maksud dan tujuan",
    "recommendations": "Rekomendasi",
    "members": "Anggota tim",
}


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
    activity = Activity(
        regency_id=g.regency.id, created_by_id=current_account().id, **form.column_values()
    )
    db.session.add(activity)
    bodies.add_bodies(activity, places)
    _set_members(activity, form.members.data or [])
    db.session.commit()
    message = f"Kegiatan {activity.kind.label.lower()} #{activity.id} dicatat."
    return saved(message, "supervision.activity", activity_id=activity.id)


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
            ).tuples()
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
    message = f"Perubahan kegiatan #{activity.id} disimpan."
    return saved(message, "supervision.activity", activity_id=activity.id)


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
    return saved(f"Kegiatan {label} dihapus. Dokumennya tetap tersimpan.", "supervision.index")


# --- The region tree: the chooser's options -----------------------------------------------


@bp.get("/pilihan/lembaga")
@requires(VIEW)
def body_choices() -> Response:
    """The PPK, PPS and TPS-desa checkboxes of one kecamatan, with their
    counts (htmx fragment; core's place picker offers selects, not these)."""
    return _chooser_fragment(CHOICES_FRAGMENT)


@bp.get("/pilihan/tps")
@requires(VIEW)
def tps_choices() -> Response:
    """The KPPS (TPS) checkboxes of one desa (htmx fragment)."""
    return _chooser_fragment(TPS_FRAGMENT)


def _chooser_fragment(template: str) -> Response:
    choice = bodies.read_choice(request.args)
    choice.errors.clear()
    return render(template, block=None, chooser=bodies.chooser(g.regency.id, choice))
