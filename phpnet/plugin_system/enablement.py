"""Which plugins a regency has, and turning them on and off.

Enabling a plugin enables what it requires; disabling it disables what
requires it (both transitively). Each changed plugin's lifecycle hook runs in
the same transaction, and every changed row is audited like any other change."""

from collections.abc import Sequence
from typing import Any

from flask import g
from sqlalchemy import select

from phpnet.auth.models import User
from phpnet.database import forget_data_stamp, worker_cache
from phpnet.extensions import db
from phpnet.plugin_system.calling import call_only, registry
from phpnet.plugin_system.models import RegencyPlugin
from phpnet.regions.models import Regency


def _stored_states(regency_ids: list[int]) -> dict[tuple[int, str], bool]:
    rows = db.session.execute(
        select(RegencyPlugin.regency_id, RegencyPlugin.plugin_name, RegencyPlugin.enabled).where(
            RegencyPlugin.regency_id.in_(regency_ids)
        )
    )
    return {(r.regency_id, r.plugin_name): r.enabled for r in rows}


def _effective(stored: dict[str, bool]) -> frozenset[str]:
    """Stored choices (or defaults), minus plugins whose requirements are off."""
    infos = registry().infos
    enabled = {name for name, info in infos.items() if stored.get(name, info.default_enabled)}
    changed = True
    while changed:
        broken = {name for name in enabled if not infos[name].requires <= enabled}
        enabled -= broken
        changed = bool(broken)
    return frozenset(enabled)


def enabled_plugins(regency: Regency) -> frozenset[str]:
    """The plugins enabled for ``regency``: asked by the guard of every
    regency page, so a worker keeps them until the database changes (see
    data_stamp); otherwise one query per request and regency."""
    memo: dict[int, frozenset[str]] = g.setdefault("_enabled_plugins", {})
    if regency.id not in memo:
        kept = worker_cache("enabled_plugins")
        if kept is not None and regency.id in kept:
            memo[regency.id] = kept[regency.id]
        else:
            stored = _stored_states([regency.id])
            memo[regency.id] = _effective({name: on for (_, name), on in stored.items()})
            if kept is not None:
                kept[regency.id] = memo[regency.id]
    return memo[regency.id]


def enablement_matrix(regencies: list[Regency]) -> dict[int, frozenset[str]]:
    """Enabled plugins of many regencies at once (the admin matrix)."""
    stored = _stored_states([r.id for r in regencies])
    per_regency: dict[int, dict[str, bool]] = {r.id: {} for r in regencies}
    for (regency_id, name), on in stored.items():
        per_regency[regency_id][name] = on
    return {regency_id: _effective(states) for regency_id, states in per_regency.items()}


def _store(regency: Regency, name: str, state: bool, by: User | None) -> None:
    row = db.session.execute(
        select(RegencyPlugin).filter_by(regency_id=regency.id, plugin_name=name)
    ).scalar_one_or_none()
    if row is None:
        row = RegencyPlugin(regency_id=regency.id, plugin_name=name, settings={})
        db.session.add(row)
    row.enabled = state
    row.changed_by_id = by.id if by else None


def set_plugin_enabled(regency: Regency, name: str, state: bool, by: User | None) -> set[str]:
    """Turn ``name`` on or off for ``regency`` with its requires-closure;
    return the plugins whose state changed. The caller commits."""
    reg = registry()
    if name not in reg.infos:
        raise KeyError(name)
    related = reg.requirements(name) if state else reg.dependents(name)
    before = enabled_plugins(regency)
    changed = {p for p in {name} | related if (p in before) != state}
    for plugin in sorted(changed):
        _store(regency, plugin, state, by)
    db.session.flush()
    g.pop("_enabled_plugins", None)
    forget_data_stamp()  # not committed yet: nothing kept by the worker applies
    hook = "phpnet_regency_enabled" if state else "phpnet_regency_disabled"
    for plugin in sorted(changed):
        call_only(hook, plugin, regency=regency)
    return changed


def plugin_settings(regency: Regency, name: str) -> dict[str, Any]:
    """The settings ``name`` keeps for ``regency`` (kept while disabled)."""
    row = db.session.execute(
        select(RegencyPlugin).filter_by(regency_id=regency.id, plugin_name=name)
    ).scalar_one_or_none()
    return dict(row.settings) if row else {}


def set_plugin_settings(regency: Regency, name: str, settings: dict[str, Any]) -> None:
    row = db.session.execute(
        select(RegencyPlugin).filter_by(regency_id=regency.id, plugin_name=name)
    ).scalar_one_or_none()
    if row is None:
        row = RegencyPlugin(
            regency_id=regency.id,
            plugin_name=name,
            enabled=name in enabled_plugins(regency),
        )
        db.session.add(row)
    row.settings = dict(settings)


def settings_of(name: str, regency_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The settings ``name`` keeps for each of ``regency_ids`` that has some
    (one query, for a province-wide check)."""
    rows = db.session.execute(
        select(RegencyPlugin.regency_id, RegencyPlugin.settings).where(
            RegencyPlugin.plugin_name == name, RegencyPlugin.regency_id.in_(regency_ids)
        )
    ).tuples()
    return {regency_id: dict(settings or {}) for regency_id, settings in rows}


def regencies_enabled(name: str, regencies: Sequence[Regency]) -> list[Regency]:
    """Those of ``regencies`` where plugin ``name`` is enabled, in their order."""
    enabled = enablement_matrix(list(regencies))
    return [regency for regency in regencies if name in enabled[regency.id]]


def plugin_label(name: str) -> str:
    """The label users know a loaded plugin by (its name if not loaded)."""
    info = registry().infos.get(name)
    return info.label if info else name
