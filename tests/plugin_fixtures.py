"""Plugins made inside the tests: small objects with hook implementations."""

from pathlib import Path

from phpnet.auth.models import Role
from phpnet.contrib import PluginInfo
from phpnet.hookspecs import hookimpl

FAKE_PLUGINS = Path(__file__).parent / "fake_plugins"
HELLO_SITE = FAKE_PLUGINS / "site-packages"
BROKEN_SITE = FAKE_PLUGINS / "broken-site"
ALL_ROLES = frozenset(Role)


class ChainPlugin:
    """A plugin that only has an identity and requirements, and remembers its
    lifecycle calls."""

    def __init__(
        self,
        name: str,
        requires: tuple[str, ...] = (),
        default: bool = False,
        province_path: str = "",
    ) -> None:
        self.info = PluginInfo(
            name=name,
            label=name.title(),
            version="1.0",
            requires=frozenset(requires),
            default_enabled=default,
            province_path=province_path,
        )
        self.calls: list[str] = []

    @hookimpl
    def phpnet_plugin_info(self) -> PluginInfo:
        return self.info

    @hookimpl
    def phpnet_regency_enabled(self, regency) -> None:
        self.calls.append(f"enabled {regency.slug}")

    @hookimpl
    def phpnet_regency_disabled(self, regency) -> None:
        self.calls.append(f"disabled {regency.slug}")
