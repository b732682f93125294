"""What plugins give to core through the hooks: small frozen records.

Every contribution that is shown to a user (navigation item, dashboard card,
export) may name a ``permission``; core drops it for users who lack it, and
sorts contributions by ``order`` then label, so the order never depends on the
order pluggy happened to load plugins in."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from phpnet.auth.models import Role
    from phpnet.regions.models import Regency


@dataclass(frozen=True)
class PluginInfo:
    """Who a plugin is. ``name`` equals its registered name, its blueprint's
    name and the URL part after ``/r/<regency>/``."""

    name: str
    label: str
    version: str
    description: str = ""
    requires: frozenset[str] = frozenset()
    default_enabled: bool = False
    order: int = 100


@dataclass(frozen=True)
class Permission:
    """An action in a plugin, granted to ``roles`` inside a regency the user
    may read, and only where the plugin is enabled."""

    name: str
    label: str
    roles: frozenset["Role"]


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    order: int = 100
    permission: str | None = None


@dataclass(frozen=True)
class DashboardCard:
    """A card on the regency dashboard, loaded lazily from ``endpoint``
    (which returns an HTML fragment), so one slow card never blocks the page."""

    title: str
    endpoint: str
    order: int = 100
    permission: str | None = None


@dataclass(frozen=True)
class CheckResult:
    status: Literal["ok", "warn", "fail"]
    detail: str
    fix_endpoint: str | None = None


@dataclass(frozen=True)
class ReadinessCheck:
    """Something the province watches per regency (e.g. "SK tim sudah ada")."""

    key: str
    label: str
    check: Callable[["Regency"], CheckResult]
    order: int = 100


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    snippet: str = ""
    kind: str = ""


@dataclass(frozen=True)
class ExportSpec:
    """A table core streams as CSV at ``/r/<regency>/ekspor/<plugin>/<key>``."""

    key: str
    label: str
    columns: Sequence[str]
    rows: Callable[["Regency"], Iterable[Sequence[object]]]
    permission: str | None = None
    order: int = 100
