"""Plugin discovery: one pluggy PluginManager per app.

Plugins come from the in-repo ``plugins/`` folder and from installed packages
(entry point group ``phpnet``). A plugin that fails to import or to register is
logged and listed as failed; the rest of the app runs. Contract violations of
plugins that did load (a hook with no spec, a name clash, a missing required
plugin, a blueprint named otherwise) stop start-up: they are programming
errors, better caught at once than half-working."""

import importlib
import logging
import pkgutil
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

import pluggy
from flask import Blueprint, Flask
from pluggy import HookCaller

from phpnet import hookspecs
from phpnet.contrib import Permission, PluginInfo

log = logging.getLogger(__name__)
CORE_PLUGIN = "phpnet.core"
PLUGINS_PACKAGE = "plugins"


@dataclass
class Registry:
    """What the app knows about its plugins, at ``app.extensions["phpnet"]``."""

    pm: pluggy.PluginManager
    infos: dict[str, PluginInfo] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    blueprints: dict[str, str] = field(default_factory=dict)  # blueprint name -> plugin
    province_blueprints: dict[str, str] = field(default_factory=dict)
    permissions: dict[str, tuple[str, Permission]] = field(default_factory=dict)

    def plugin_for_blueprint(self, blueprint: str | None) -> str | None:
        return self.blueprints.get(blueprint) if blueprint else None

    def ordered(self) -> list[PluginInfo]:
        return sorted(self.infos.values(), key=order_key)

    def hook(self, name: str, plugins: Collection[str]) -> HookCaller:
        """Hook ``name`` of ``plugins`` only (``CORE_PLUGIN`` among them for
        core's own): pluggy's ``subset_hook_caller`` without the others."""
        others = [plugin for n, plugin in self.pm.list_name_plugin() if n not in plugins]
        return self.pm.subset_hook_caller(name, remove_plugins=others)

    def implementers(self, name: str) -> list[str]:
        """The plugins implementing hook ``name``, core first, then by order."""
        names = {impl.plugin_name for impl in getattr(self.pm.hook, name).get_hookimpls()}

        def key(plugin: str) -> tuple[bool, tuple[int, str]]:
            info = self.infos.get(plugin)
            return plugin != CORE_PLUGIN, order_key(info) if info else (100, plugin)

        return sorted(names, key=key)

    def dependents(self, name: str) -> set[str]:
        """Every plugin that needs ``name``, directly or through others."""
        found: set[str] = set()
        frontier = {name}
        while frontier:
            needed = frontier.pop()
            for info in self.infos.values():
                if needed in info.requires and info.name not in found:
                    found.add(info.name)
                    frontier.add(info.name)
        return found

    def requirements(self, name: str) -> set[str]:
        """Every plugin ``name`` needs, directly or through others."""
        found: set[str] = set()
        frontier = set(self.infos[name].requires)
        while frontier:
            needed = frontier.pop()
            if needed not in found:
                found.add(needed)
                frontier |= self.infos[needed].requires
        return found


def order_key(item: Any) -> tuple[int, str]:
    """The one order of menus, cards, checks, charts and plugins: ``order``,
    then the label (or title) users read."""
    label = getattr(item, "label", None) or getattr(item, "title", "")
    return getattr(item, "order", 100), str(label)


def _register(pm: pluggy.PluginManager, registry: Registry, name: str, load: Any) -> None:
    if pm.is_blocked(name) or pm.has_plugin(name):
        return
    try:
        module = load()
        pm.register(module, name=name)
    except Exception as error:  # a broken plugin must not take the office down
        log.exception("plugin %s failed to load", name)
        registry.failed[name] = f"{type(error).__name__}: {error}"


def _folder_plugins() -> Iterator[tuple[str, Any]]:
    try:
        package = importlib.import_module(PLUGINS_PACKAGE)
    except ModuleNotFoundError:
        return
    for module in pkgutil.iter_modules(package.__path__):
        if module.ispkg and not module.name.startswith("_"):
            yield (
                module.name,
                lambda n=module.name: importlib.import_module(f"{PLUGINS_PACKAGE}.{n}"),
            )


def _entry_point_plugins() -> Iterator[tuple[str, Any]]:
    for entry_point in entry_points(group=hookspecs.PROJECT):
        yield entry_point.name, entry_point.load


def _read_infos(registry: Registry) -> None:
    given: dict[str, list[Any]] = {}
    for plugin, item in _each(registry, "phpnet_plugin_info"):
        given.setdefault(plugin, []).append(item)
    for name, module in registry.pm.list_name_plugin():
        if name == CORE_PLUGIN or module is None:
            continue
        infos = given.get(name, [])
        if len(infos) != 1 or not isinstance(infos[0], PluginInfo):
            raise RuntimeError(f"Plugin {name}: phpnet_plugin_info() must return a PluginInfo")
        if infos[0].name != name:
            raise RuntimeError(f"Plugin {name}: its info names it {infos[0].name!r}")
        registry.infos[name] = infos[0]


def _check_contract(registry: Registry) -> None:
    for info in registry.infos.values():
        missing = info.requires - registry.infos.keys()
        if missing:
            raise RuntimeError(f"Plugin {info.name} requires {sorted(missing)}, not loaded")


def _each(registry: Registry, hook: str) -> Iterator[tuple[str, Any]]:
    """(plugin, item) for the items every loaded plugin and core return from
    ``hook``, asked one plugin at a time (pluggy's subset callers)."""
    for plugin in registry.implementers(hook):
        for result in registry.hook(hook, {plugin})():
            for item in result if isinstance(result, list | tuple) else [result]:
                yield plugin, item


def _collect_permissions(registry: Registry) -> None:
    for plugin, permission in _each(registry, "phpnet_permissions"):
        prefix = "core" if plugin == CORE_PLUGIN else plugin
        if not permission.name.startswith(f"{prefix}."):
            raise RuntimeError(f"Plugin {plugin}: permission {permission.name!r} not prefixed")
        registry.permissions[permission.name] = (plugin, permission)


def build_registry(app: Flask) -> Registry:
    """Discover, register and check the plugins of ``app``. Tests add plugin
    modules of their own through ``PHPNET_EXTRA_PLUGINS`` (name -> module)."""
    from phpnet import core_hooks

    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in app.config["PHPNET_BLOCKED_PLUGINS"]:
        pm.set_blocked(name)
    registry = Registry(pm)
    pm.register(core_hooks, name=CORE_PLUGIN)
    sources = list(_folder_plugins())
    extra = app.config.get("PHPNET_EXTRA_PLUGINS", {})
    sources += [(n, lambda m=m: m) for n, m in extra.items()]
    if app.config["PHPNET_LOAD_ENTRYPOINTS"]:
        sources += list(_entry_point_plugins())
    for name, load in sources:
        _register(pm, registry, name, load)
    pm.check_pending()
    _read_infos(registry)
    _check_contract(registry)
    _collect_permissions(registry)
    return registry


def mount_blueprints(app: Flask, registry: Registry) -> None:
    """Mount every plugin blueprint under ``/r/<regency>/<plugin>``, and the
    province blueprints under ``/provinsi/<province_path or plugin>``."""
    for plugin, blueprint in _each(registry, "phpnet_blueprints"):
        if plugin != CORE_PLUGIN:
            _mount(app, registry, plugin, blueprint)
    for plugin, blueprint in _each(registry, "phpnet_province_blueprints"):
        if blueprint.name != f"{plugin}_provinsi":
            raise RuntimeError(f"Plugin {plugin}: province blueprint named {blueprint.name!r}")
        path = registry.infos[plugin].province_path or plugin
        app.register_blueprint(blueprint, url_prefix=f"/provinsi/{path}")
        registry.province_blueprints[blueprint.name] = plugin


def _mount(app: Flask, registry: Registry, plugin: str, blueprint: Blueprint) -> None:
    if blueprint.name != plugin:
        raise RuntimeError(f"Plugin {plugin}: blueprint named {blueprint.name!r}")
    prefix = f"/r/<regency>/{plugin}"
    taken = [r.rule for r in app.url_map.iter_rules() if r.rule.startswith(prefix)]
    if taken:
        raise RuntimeError(f"Plugin {plugin}: {prefix} is already used by {taken[0]}")
    app.register_blueprint(blueprint, url_prefix=prefix)
    registry.blueprints[blueprint.name] = plugin
