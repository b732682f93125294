"""Collecting what plugins contribute for one regency: navigation, cards,
slots, search results, exports.

Only core and the plugins enabled for the regency are asked; items a user has
no permission for are dropped; the rest is in the one order of the registry."""

from typing import Any

from flask import g
from flask_login import current_user
from markupsafe import Markup

from phpnet.auth.models import User
from phpnet.plugin_system.calling import call_each, registry
from phpnet.plugin_system.enablement import enabled_plugins
from phpnet.plugin_system.permissions import endpoint_permission, has_permission
from phpnet.regions.models import Regency


def call_for_regency(
    hook: str, regency: Regency, *, skip_errors: bool = False, **kwargs: Any
) -> list[tuple[str, Any]]:
    """(plugin name, item) for every item ``hook`` returns from core and the
    plugins enabled for ``regency``, in order. With ``skip_errors`` a plugin
    that raises is logged and left out (search, slots) instead of failing the
    page. Items that name a permission (or whose endpoint needs one) the
    ``user`` lacks are dropped."""
    found = call_each(
        hook, enabled_plugins(regency), skip_errors=skip_errors, regency=regency, **kwargs
    )
    user = kwargs.get("user")
    if user is None:
        return found
    return [(p, item) for p, item in found if _allowed(user, regency, item)]


def _allowed(user: User, regency: Regency, item: Any) -> bool:
    needed = getattr(item, "permission", None) or endpoint_permission(
        getattr(item, "endpoint", None)
    )
    return needed is None or has_permission(user, regency, needed)


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
    every = registry().infos.keys()
    return [item for _, item in call_each("phpnet_province_nav_items", every, user=current_user)]
