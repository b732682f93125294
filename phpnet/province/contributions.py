"""Asking every plugin about the regencies where it is enabled.

Province hooks (figures, weekly activity) take a list of regencies; each
plugin is called once, with only the regencies where it is enabled (core
with all of them), so a disabled plugin never speaks about a regency. A
plugin that raises is logged and left out: one broken chart must not take
the province's dashboard down."""

from collections.abc import Sequence
from typing import Any

from phpnet.plugin_system.calling import call_each, registry
from phpnet.plugin_system.enablement import enablement_matrix
from phpnet.plugin_system.registry import CORE_PLUGIN
from phpnet.regions.models import Regency


def enabled_regencies(regencies: Sequence[Regency]) -> dict[str, list[Regency]]:
    """Plugin name -> the regencies of ``regencies`` where it is enabled, in
    the given order (one query for all of them)."""
    enabled = enablement_matrix(list(regencies))
    return {name: [r for r in regencies if name in enabled[r.id]] for name in registry().infos}


def call_per_plugin(
    hook: str, regencies: Sequence[Regency], **kwargs: Any
) -> list[tuple[str, Any]]:
    """(plugin, item) for every item ``hook`` returns, each plugin asked
    with its enabled regencies as ``regencies`` (core with all of them), in
    order; a plugin that raises is logged and left out."""
    targets = enabled_regencies(regencies)

    def own(plugin: str) -> dict[str, Any] | None:
        given = list(regencies) if plugin == CORE_PLUGIN else targets.get(plugin, [])
        return {"regencies": given} if given else None

    return call_each(hook, targets.keys(), skip_errors=True, arguments=own, **kwargs)
