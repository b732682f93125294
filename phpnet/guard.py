"""The one enforcement point for regency (tenant) pages, registered app-wide
in ``create_app``.

Every URL with a ``<regency>`` part goes through :func:`pull_regency` and
:func:`guard_regency`: a user who may not read that regency gets 404 whatever
the view, so no view can forget it; a plugin's page also needs the plugin
enabled there and the permission its view declares. Once admitted, the
request reads only that regency's rows (``phpnet.tenancy``)."""

from typing import Any, NoReturn

from flask import Flask, abort, current_app, g, request
from flask_login import current_user
from sqlalchemy.orm import make_transient_to_detached

from phpnet import tenancy
from phpnet.access import Access, access_to
from phpnet.auth.models import Role
from phpnet.database import worker_cache
from phpnet.extensions import db, login_manager
from phpnet.plugin_system.enablement import enabled_plugins
from phpnet.plugin_system.permissions import endpoint_permission, has_permission
from phpnet.regions.models import Regency, dotted_code


def pull_regency(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """URL value preprocessor: ``<regency>`` in a URL becomes ``g.regency``."""
    if values and "regency" in values:
        code = values.pop("regency")
        regency = None
        if isinstance(code, str) and code.isdigit() and len(code) == 4:
            regency = _active_regency(code)
        g.regency = regency
        g.regency_requested = True


def _active_regency(code: str) -> Regency | None:
    """The active regency with URL code ``code``. Every regency page asks, so
    a worker keeps a detached copy of each until the database changes (see
    data_stamp) and attaches it to this request's session without a query."""
    cache = worker_cache("active_regency")
    if cache is not None and code in cache:
        kept = cache[code]
        return None if kept is None else db.session.merge(kept, load=False)
    regency = db.session.execute(
        db.select(Regency).filter_by(code=dotted_code(code), is_active=True)
    ).scalar_one_or_none()
    if cache is not None:
        cache[code] = None if regency is None else _detached_copy(regency)
    return regency


def _detached_copy(regency: Regency) -> Regency:
    copy = Regency(
        id=regency.id,
        code=regency.code,
        name=regency.name,
        kind=regency.kind,
        is_active=regency.is_active,
    )
    make_transient_to_detached(copy)
    return copy


def guard_regency() -> Any:
    """Before-request guard for every regency URL: log in first, then 404
    unless the user may read this regency (another regency's pages look
    exactly like pages that do not exist) and, for a plugin's pages, unless
    the plugin is enabled for it; then 403 without the permission the
    plugin's view declares. An admitted request reads only this regency's rows."""
    if not g.get("regency_requested"):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if g.regency is None or access_to(current_user, g.regency) is Access.NONE:
        _not_found()
    plugin = current_app.extensions["phpnet"].plugin_for_blueprint(
        request.blueprints[-1] if request.blueprints else None
    )
    if plugin is not None:
        if plugin not in enabled_plugins(g.regency):
            _not_found()  # a disabled module looks like one that does not exist
        needed = endpoint_permission(request.endpoint, request.method)
        if needed is None or not has_permission(current_user, g.regency, needed):
            abort(403)
    tenancy.enter_regency(g.regency.id)
    return None


def _not_found() -> NoReturn:
    """404 with nothing of the regency asked for: the error page must not
    show its name, its menu or its modules."""
    g.regency = None
    abort(404)


def guard_province() -> Any:
    """Before-request guard for plugins' province pages (``/provinsi/<plugin>/``):
    only admin and provinsi users, whatever the view."""
    blueprint = request.blueprints[-1] if request.blueprints else None
    if blueprint not in current_app.extensions["phpnet"].province_blueprints:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role not in (Role.ADMIN, Role.PROVINSI):
        abort(403)
    return None


def inject_regency(endpoint: str, values: dict[str, Any]) -> None:
    """URL defaults: links built inside a regency page stay in that regency."""
    regency = g.get("regency")
    if (
        "regency" not in values
        and regency is not None
        and current_app.url_map.is_endpoint_expecting(endpoint, "regency")
    ):
        values["regency"] = regency.slug


def install(app: Flask) -> None:
    tenancy.install()
    app.url_value_preprocessor(pull_regency)
    app.url_defaults(inject_regency)
    app.before_request(guard_regency)
    app.before_request(guard_province)
    app.teardown_request(tenancy.leave_regency)
