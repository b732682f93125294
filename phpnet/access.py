"""Who may do what: the levels of access to a regency, and the decorators
core's views ask for them with. The enforcement point that every regency
URL goes through is ``phpnet.guard``."""

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g
from flask_login import current_user

from phpnet.auth.models import Role, User
from phpnet.extensions import db, login_manager
from phpnet.regions.models import Regency

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


def current_account() -> User:
    """The signed-in account itself (not Flask-Login's proxy), to store on a row."""
    return current_user._get_current_object()  # type: ignore[no-any-return]


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
