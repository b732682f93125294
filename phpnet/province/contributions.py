"""Asking every plugin about the regencies where it is enabled.

Province hooks (figures, weekly activity) take a list of regencies; each
plugin is called once, with only the regencies where it is enabled (core
with all of them), so a disabled plugin never speaks about a regency. A
plugin that raises is logged and left out: one broken chart must not take
the province's dashboard down."""

import logging
from collections.abc import Sequence
from typing import Any

from phpnet.plugin_system.enablement import enablement_matrix, registry
from phpnet.plugin_system.registry import CORE_PLUGIN
from phpnet.regions.models import Regency

log = logging.getLogger(__name__)


def enabled_regencies(regencies: Sequence[Regency]) -> dict[str, list[Regency]]:
    """Plugin name -> the regencies of ``regencies`` where it is enabled, in
    the given order (one query for all of them)."""
    enabled = enablement_matrix(list(regencies))
    return {name: [r for r in regencies if name in enabled[r.id]] for name in registry().infos}


def call_per_plugin(
    hook: str, regencies: Sequence[Regency], **kwargs: Any
) -> list[tuple[str, Any]]:
    """(plugin, item) for every item ``hook`` returns, each plugin asked
    with its enabled regencies as ``regencies``; sorted by (order, label)."""
    targets = enabled_regencies(regencies)
    found: list[tuple[str, Any]] = []
    for plugin, impl in registry().impls(hook):
        own = list(regencies) if plugin == CORE_PLUGIN else targets.get(plugin, [])
        if not own:
            continue
        offered = {**kwargs, "regencies": own}
        try:
            returned = impl.function(**{name: offered[name] for name in impl.argnames})
        except Exception:
            log.exception("plugin %s failed in %s", plugin, hook)
            continue
        items = returned if isinstance(returned, list | tuple) else [returned]
        found += [(plugin, item) for item in items if item is not None]
    return sorted(found, key=lambda pair: _order(pair[1]))


def _order(item: Any) -> tuple[int, str]:
    label = getattr(item, "title", None) or getattr(item, "label", "")
    return getattr(item, "order", 100), str(label)
