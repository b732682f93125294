"""Bimtek views of a session's targets: the bodies it is for, picked through
the region tree with core's place picker (htmx refills the desa and TPS
selects; without JavaScript, a button reloads them), and their counts."""

from typing import Any

from flask import Response, abort, g, request

from phpnet.plugin_api import (
    db,
    fill_place_fields,
    may,
    render,
    render_invalid,
    requires,
    saved,
)
from plugins.bimtek import bodies, sessions
from plugins.bimtek.blueprint import EDIT, VIEW, bp, session_or_404
from plugins.bimtek.forms import PlaceForm, TargetForm
from plugins.bimtek.models import Session

TARGETS_PAGE = "bimtek/targets.html"
REFRESH_OPTIONS = "muat_pilihan"  # the no-JavaScript button that reloads the selects
CHOOSE_KECAMATAN = "— pilih kecamatan —"


def fill_places(form: PlaceForm) -> None:
    """Fill the form's kecamatan, desa and TPS selects from core's place
    picker. An area (a target's) may leave its desa and TPS open ("semua"),
    never its kecamatan."""
    fill_place_fields(form, g.regency.id, any_place=not form.exact)
    if not form.exact:
        form.kecamatan.choices = [("", CHOOSE_KECAMATAN), *form.kecamatan.choices[1:]]


def _target_form(form: TargetForm | None = None) -> TargetForm:
    form = form or TargetForm(formdata=None)
    fill_places(form)
    return form


def _targets_page(found: Session, form: TargetForm | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "found": found,
        "form": form or _target_form(),
        "targets": bodies.summarise_targets(found.targets),
        "can_edit": may(EDIT),
        "refresh_name": REFRESH_OPTIONS,
        **extra,
    }


@bp.route("/<int:session_id>/sasaran", methods=["GET", "POST"])
@requires(VIEW, POST=EDIT)
def targets(session_id: int) -> Response:
    """The bodies a session is for, with their counts; EDIT adds to them."""
    found = session_or_404(session_id)
    if request.method == "GET":
        return render(TARGETS_PAGE, **_targets_page(found))
    form = _target_form(TargetForm())
    if REFRESH_OPTIONS in request.form:
        return render(TARGETS_PAGE, **_targets_page(found, form))
    valid = form.validate_on_submit()
    refusal = sessions.add_target(found, form.chosen_place()) if valid else None
    if refusal:
        form.level.errors = [refusal]
    if not valid or refusal:
        return render_invalid(TARGETS_PAGE, block="targets", **_targets_page(found, form))
    db.session.commit()
    return _targets_saved(found, "Sasaran ditambahkan.")


def _targets_saved(found: Session, message: str) -> Response:
    return saved(
        message, "bimtek.targets", template=TARGETS_PAGE, block="targets",
        context=lambda: _targets_page(found), session_id=found.id,
    )  # fmt: skip


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
