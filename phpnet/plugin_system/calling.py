"""Calling plugins' hooks: pluggy does the calling, this module only says
whose hooks are called and what to do with what they return.

A hook returns a list or a single item (or None, dropped); :func:`flatten`
makes them one list, and :func:`~phpnet.plugin_system.registry.order_key`
orders it. :func:`call_each` calls one plugin at a time, so each item is
known by the plugin that made it and one plugin's error can be skipped."""

import logging
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from flask import current_app

from phpnet.plugin_system.registry import CORE_PLUGIN, Registry, order_key

log = logging.getLogger(__name__)


def registry() -> Registry:
    """The plugins of the running app."""
    return current_app.extensions["phpnet"]


def flatten(results: Iterable[Any]) -> list[Any]:
    """pluggy's results (one per plugin: a list, a tuple or one item) as one
    list, None left out."""
    items: list[Any] = []
    for result in results:
        returned = result if isinstance(result, list | tuple) else [result]
        items += [item for item in returned if item is not None]
    return items


def call_each(
    hook: str,
    plugins: Collection[str],
    *,
    skip_errors: bool = False,
    arguments: Callable[[str], Mapping[str, Any] | None] | None = None,
    **kwargs: Any,
) -> list[tuple[str, Any]]:
    """(plugin, item) for every item that core and ``plugins`` return from
    ``hook``, in order. ``arguments(plugin)`` may give a plugin arguments of
    its own (None: leave it out); with ``skip_errors`` a plugin that raises is
    logged and left out instead of failing the page."""
    found: list[tuple[str, Any]] = []
    reg = registry()
    for plugin in reg.implementers(hook):
        if plugin != CORE_PLUGIN and plugin not in plugins:
            continue
        own = arguments(plugin) if arguments is not None else {}
        if own is None:
            continue
        try:
            results = reg.hook(hook, {plugin})(**kwargs, **own)
        except Exception:
            if not skip_errors:
                raise
            log.exception("plugin %s failed in %s", plugin, hook)
            continue
        found += [(plugin, item) for item in flatten(results)]
    return sorted(found, key=lambda pair: order_key(pair[1]))


def call_only(hook: str, plugin: str, **kwargs: Any) -> list[Any]:
    """Hook ``hook`` of ``plugin`` alone, core left out (lifecycle hooks)."""
    return flatten(registry().hook(hook, {plugin})(**kwargs))
