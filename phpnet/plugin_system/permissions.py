"""Plugin permissions, declared once (as Redmine's module -> permission ->
route): a plugin declares each ``Permission`` (name, label, roles) once, as a
constant, and names the one each view needs with ``@requires(...)``; core
learns the plugin's permissions from its views (a permission no view needs,
checked only in code, is returned by ``phpnet_permissions``). The app-wide
guard enforces it before the view runs,
menus and cards hide links to views the user may not open, and the
authorization matrix reads the expected answer of every route from it.

A plugin view that names no permission stops start-up: nothing a plugin
serves is open by omission."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, current_app, g
from flask_login import current_user

from phpnet.access import Access, access_to
from phpnet.auth.models import User
from phpnet.contrib import Permission
from phpnet.plugin_system.calling import registry
from phpnet.plugin_system.enablement import enabled_plugins
from phpnet.plugin_system.registry import CORE_PLUGIN, Registry
from phpnet.regions.models import Regency

F = TypeVar("F", bound=Callable[..., Any])
MARK = "phpnet_permissions"


@dataclass(frozen=True)
class ViewPermissions:
    """What a view needs: ``default``, or per HTTP method where it differs."""

    default: Permission | str
    by_method: Mapping[str, Permission | str] = field(default_factory=dict)

    def for_method(self, method: str) -> Permission | str:
        return self.by_method.get(method, self.default)


def requires(permission: Permission | str, **by_method: Permission | str) -> Callable[[F], F]:
    """Mark a plugin view with the permission it needs, and per method where
    it differs (``@requires(VIEW, POST=EDIT)``). Core's guard checks it."""
    methods = {name.upper(): needed for name, needed in by_method.items()}

    def mark(view: F) -> F:
        setattr(view, MARK, ViewPermissions(permission, methods))
        return view

    return mark


def view_permissions(endpoint: str | None) -> ViewPermissions | None:
    """The permissions the view of ``endpoint`` declared, if any."""
    view = current_app.view_functions.get(endpoint) if endpoint else None
    return getattr(view, MARK, None)


def endpoint_permission(endpoint: str | None, method: str = "GET") -> Permission | str | None:
    """The permission a ``method`` request to ``endpoint`` needs (None: core's
    own view, which checks access itself)."""
    declared = view_permissions(endpoint)
    return declared.for_method(method) if declared else None


def has_permission(user: User, regency: Regency, permission: Permission | str) -> bool:
    """Whether ``user`` holds ``permission`` in ``regency``: its plugin is
    enabled there, the user may read the regency, and the role is granted."""
    name = permission.name if isinstance(permission, Permission) else permission
    declared = registry().permissions.get(name)
    if declared is None or access_to(user, regency) is Access.NONE:
        return False
    plugin, found = declared
    if plugin != CORE_PLUGIN and plugin not in enabled_plugins(regency):
        return False
    return user.role in found.roles


def may(permission: Permission | str) -> bool:
    """Whether the current user holds ``permission`` in this request's
    regency (to show a button or not; also a template global)."""
    regency = g.get("regency")
    return regency is not None and has_permission(current_user, regency, permission)


def collect_declared(app: Flask, reg: Registry) -> None:
    """Start-up: every view of a plugin's regency blueprints declares a
    permission of that plugin's own; the permissions its views name are the
    plugin's (with those of ``phpnet_permissions``, for checks outside views)."""
    for endpoint, view in app.view_functions.items():
        plugin = reg.plugin_for_blueprint(endpoint.rpartition(".")[0])
        if plugin is None:
            continue
        declared: ViewPermissions | None = getattr(view, MARK, None)
        if declared is None:
            raise RuntimeError(f"Plugin {plugin}: view {endpoint} names no permission (@requires)")
        for needed in (declared.default, *declared.by_method.values()):
            _declare(reg, plugin, endpoint, needed)


def _declare(reg: Registry, plugin: str, endpoint: str, needed: Permission | str) -> None:
    name = needed.name if isinstance(needed, Permission) else needed
    if isinstance(needed, Permission) and name.startswith(f"{plugin}."):
        reg.permissions.setdefault(name, (plugin, needed))
    owner, known = reg.permissions.get(name, (None, None))
    if owner != plugin:
        raise RuntimeError(
            f"Plugin {plugin}: {endpoint} needs {name!r}, not a permission of its own"
        )
    if isinstance(needed, Permission) and known != needed:
        raise RuntimeError(f"Plugin {plugin}: permission {name!r} is declared twice, differently")
