"""Collecting what plugins contribute for one regency, and plugin permissions.

Only core and the plugins enabled for the regency are asked; items a user has
no permission for are dropped; the rest is sorted by (order, label)."""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g
from flask_login import current_user
from markupsafe import Markup

from phpnet.access import Access, access_to
from phpnet.auth.models import User
from phpnet.plugin_system.enablement import enabled_plugins, registry
from phpnet.plugin_system.registry import CORE_PLUGIN
from phpnet.regions.models import Regency

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


def _sort_key(item: Any) -> tuple[int, str]:
    label = getattr(item, "label", None) or getattr(item, "title", "")
    return getattr(item, "order", 100), str(label)


def call_for_regency(
    hook: str, regency: Regency, *, skip_errors: bool = False, **kwargs: Any
) -> list[tuple[str, Any]]:
    """(plugin name, item) for every item ``hook`` returns from core and the
    plugins enabled for ``regency``. With ``skip_errors`` a plugin that raises
    is logged and left out (search, slots) instead of failing the page."""
    enabled = enabled_plugins(regency)
    kwargs["regency"] = regency
    results: list[tuple[str, Any]] = []
    for plugin, impl in registry().impls(hook):
        if plugin != CORE_PLUGIN and plugin not in enabled:
            continue
        try:
            returned = impl.function(**{a: kwargs[a] for a in impl.argnames})
        except Exception:
            if not skip_errors:
                raise
            log.exception("plugin %s failed in %s", plugin, hook)
            continue
        items = returned if isinstance(returned, list | tuple) else [returned]
        results += [(plugin, item) for item in items if item is not None]
    user = kwargs.get("user")
    if user is not None:
        results = [
            (p, i)
            for p, i in results
            if getattr(i, "permission", None) is None or has_permission(user, regency, i.permission)
        ]
    return sorted(results, key=lambda pair: _sort_key(pair[1]))


def has_permission(user: User, regency: Regency, name: str) -> bool:
    """Whether ``user`` holds permission ``name`` in ``regency``: its plugin is
    enabled there, the user may read the regency, and the role is granted."""
    declared = registry().permissions.get(name)
    if declared is None or access_to(user, regency) is Access.NONE:
        return False
    plugin, permission = declared
    if plugin != CORE_PLUGIN and plugin not in enabled_plugins(regency):
        return False
    return user.role in permission.roles


def require_permission(name: str) -> Callable[[F], F]:
    """View decorator for plugin views: 403 without permission ``name`` in
    ``g.regency`` (the app-wide guard has already answered 404 to users of
    other regencies and where the plugin is disabled)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not has_permission(current_user, g.regency, name):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def slot(name: str) -> Markup:
    """Template global: the HTML plugins put into the named slot."""
    regency = g.get("regency")
    if regency is None or not current_user.is_authenticated:
        return Markup("")
    parts = call_for_regency(
        "phpnet_template_slot", regency, skip_errors=True, slot=name, user=current_user
    )
    return Markup("").join(item for _, item in parts)


def nav_items() -> list[Any]:
    """Template global: the navigation of the current regency."""
    regency = g.get("regency")
    if regency is None or not current_user.is_authenticated:
        return []
    return [item for _, item in call_for_regency("phpnet_nav_items", regency, user=current_user)]


def province_nav_items() -> list[Any]:
    """Template global: links to plugins' province pages, for admin and provinsi."""
    if not current_user.is_authenticated or current_user.role.is_regional:
        return []
    items = []
    for _plugin, impl in registry().impls("phpnet_province_nav_items"):
        returned = impl.function(**{a: current_user for a in impl.argnames if a == "user"})
        items += [item for item in returned or [] if item is not None]
    return sorted(items, key=_sort_key)
