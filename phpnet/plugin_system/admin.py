"""The admin's matrix of 38 regencies by plugins, with htmx toggles."""

from typing import Any

from flask import Blueprint, abort, flash, request
from flask_login import current_user
from sqlalchemy import select

from phpnet.access import roles_required
from phpnet.auth.models import Role
from phpnet.extensions import db
from phpnet.htmx import done, is_htmx, render
from phpnet.plugin_system.calling import registry
from phpnet.plugin_system.enablement import enablement_matrix, set_plugin_enabled
from phpnet.regions.models import Regency, dotted_code

bp = Blueprint("plugin_admin", __name__, url_prefix="/admin/plugin")


def _regencies() -> list[Regency]:
    return list(db.session.execute(select(Regency).order_by(Regency.code)).scalars())


def _requested_state() -> bool:
    value = request.form.get("enabled")
    if value not in ("0", "1"):
        abort(400)
    return value == "1"


def _plugin_or_404(name: str) -> str:
    if name not in registry().infos:
        abort(404)
    return name


@bp.get("/")
@roles_required(Role.ADMIN)
def index() -> Any:
    regencies = _regencies()
    return render(
        "plugin_admin/index.html",
        regencies=regencies,
        plugins=registry().ordered(),
        failed=registry().failed,
        enabled=enablement_matrix(regencies),
    )


@bp.post("/<name>/<code>")
@roles_required(Role.ADMIN)
def toggle(name: str, code: str) -> Any:
    plugin = _plugin_or_404(name)
    regency = None
    if code.isdigit() and len(code) == 4:
        regency = db.session.execute(
            select(Regency).filter_by(code=dotted_code(code))
        ).scalar_one_or_none()
    if regency is None:
        abort(404)
    state = _requested_state()
    changed = set_plugin_enabled(regency, plugin, state, current_user)
    db.session.commit()
    if is_htmx():
        return render(
            "plugin_admin/index.html",
            block="row",
            regency=regency,
            plugins=registry().ordered(),
            enabled=enablement_matrix([regency]),
        )
    _flash_change(regency.name, state, changed)
    return done("plugin_admin.index")


@bp.post("/<name>/semua")
@roles_required(Role.ADMIN)
def toggle_all(name: str) -> Any:
    plugin = _plugin_or_404(name)
    state = _requested_state()
    for regency in _regencies():
        set_plugin_enabled(regency, plugin, state, current_user)
    db.session.commit()
    label = registry().infos[plugin].label
    flash(f"{label} {'diaktifkan' if state else 'dinonaktifkan'} untuk semua kab/kota.", "success")
    return done("plugin_admin.index")


def _flash_change(regency_name: str, state: bool, changed: set[str]) -> None:
    if not changed:
        flash("Tidak ada perubahan.", "info")
        return
    labels = ", ".join(registry().infos[name].label for name in sorted(changed))
    verb = "diaktifkan" if state else "dinonaktifkan"
    flash(f"{labels} {verb} untuk {regency_name}.", "success")
