"""Bimtek views of one session's detail page: its facts and figures, its
speakers (a member of the dispute team, or someone from outside) and its
materials (stored documents).

Every mutation is a plain form post (303 after success); htmx swaps the
speakers or the materials block in place."""

from typing import Any

from flask import Response, abort, g

from phpnet.plugin_api import (
    DocumentError,
    allowed_hint,
    current_account,
    current_team,
    db,
    may,
    render,
    render_invalid,
    requires,
    saved,
    store_document,
)
from plugins.bimtek import bodies, sessions
from plugins.bimtek.blueprint import EDIT, MANAGE, VIEW, bp, session_or_404
from plugins.bimtek.forms import MaterialForm, SpeakerForm
from plugins.bimtek.models import Material, Session, Speaker

DETAIL_PAGE = "bimtek/session.html"
MATERIAL_KINDS = frozenset({"pdf", "docx", "xlsx", "jpeg", "png"})


def _speaker_form(form: SpeakerForm | None = None) -> SpeakerForm:
    form = form or SpeakerForm(formdata=None)
    team = current_team(g.regency.id)
    members = sorted(team.members, key=lambda m: m.name) if team else []
    form.team_member.choices = [("", "— narasumber luar —")] + [
        (m.id, f"{m.name} ({m.position.label})") for m in members
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
    }
    return {**context, **extra}


@bp.get("/<int:session_id>")
@requires(VIEW)
def session(session_id: int) -> Response:
    return render(DETAIL_PAGE, **_detail(session_or_404(session_id)))


def _part_saved(found: Session, block: str, message: str) -> Response:
    return saved(
        message, "bimtek.session", template=DETAIL_PAGE, block=block,
        context=lambda: _detail(found), session_id=found.id,
    )  # fmt: skip


@bp.post("/<int:session_id>/narasumber")
@requires(EDIT)
def add_speaker(session_id: int) -> Response:
    found = session_or_404(session_id)
    form = _speaker_form(SpeakerForm())
    if not form.validate_on_submit():
        return render_invalid(DETAIL_PAGE, block="speakers", **_detail(found, speaker_form=form))
    team = current_team(g.regency.id)
    member = (
        next((m for m in team.members if m.id == form.team_member.data), None) if team else None
    )
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
        document = store_document(
            form.material_file.data, g.regency, current_account(), kinds=MATERIAL_KINDS
        )
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
