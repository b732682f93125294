"""Who may do what, and the one enforcement point for regency (tenant) pages.

Every URL with a ``<regency>`` part goes through :func:`pull_regency` and
:func:`guard_regency`, registered app-wide in ``create_app``: a user who may
not read that regency gets 404 whatever the view, so no view can forget it.
Views then ask for the level of access they need with :func:`require`."""

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, current_app, g, request
from flask_login import current_user
from sqlalchemy.orm import make_transient_to_detached

from phpnet.auth.models import Role, User
from phpnet.database import worker_cache
from phpnet.extensions import db, login_manager
from phpnet.plugin_system.enablement import enabled_plugins
from phpnet.regions.models import Regency, dotted_code

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M")


class Access(enum.IntEnum):
    """Levels of access to one regency, each including the ones below."""

    NONE = 0
    READ = 1  # pemantau, provinsi
    CONTRIBUTE = 2  # anggota
    MANAGE = 3  # operator, admin


_REGIONAL_ACCESS = {
    Role.PEMANTAU: Access.READ,
    Role.ANGGOTA: Access.CONTRIBUTE,
    Role.OPERATOR: Access.MANAGE,
}


def access_to(user: User, regency: Regency) -> Access:
    """The access ``user`` has to ``regency``."""
    if not user.is_authenticated or not user.is_active:
        return Access.NONE
    if user.role is Role.ADMIN:
        return Access.MANAGE
    if user.role is Role.PROVINSI:
        return Access.READ
    if user.regency_id != regency.id:
        return Access.NONE
    return _REGIONAL_ACCESS[user.role]


def current_access() -> Access:
    """The current user's access to the regency of this request."""
    regency = g.get("regency")
    return Access.NONE if regency is None else access_to(current_user, regency)


def require(level: Access) -> Callable[[F], F]:
    """View decorator: the current user needs ``level`` on ``g.regency``.
    A user who can read the regency but not act gets 403; the guard has
    already answered 404 to anyone who cannot read it."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_access() < level:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def roles_required(*roles: Role) -> Callable[[F], F]:
    """View decorator for pages outside a regency (admin, province)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def scoped_or_404(model: type[M], object_id: int) -> M:
    """The ``model`` row ``object_id`` of the current regency, or 404: another
    regency's ids answer exactly like ids that do not exist."""
    row = db.session.execute(
        db.select(model).filter_by(id=object_id, regency_id=g.regency.id)
    ).scalar_one_or_none()
    if row is None:
        abort(404)
    return row


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
    the plugin is enabled for it."""
    if not g.get("regency_requested"):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if g.regency is None or access_to(current_user, g.regency) is Access.NONE:
        abort(404)
    plugin = current_app.extensions["phpnet"].plugin_for_blueprint(
        request.blueprints[-1] if request.blueprints else None
    )
    if plugin is not None and plugin not in enabled_plugins(g.regency):
        abort(404)  # a disabled module looks like one that does not exist
    return None


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
    app.url_value_preprocessor(pull_regency)
    app.url_defaults(inject_regency)
    app.before_request(guard_regency)
    app.before_request(guard_province)
