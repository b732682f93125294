"""What plugins give to core through the hooks: small frozen records.

Every contribution that is shown to a user (navigation item, dashboard card,
export) is dropped for users who may not open it: the permission it names,
or else the one its endpoint's view ``@requires``. Core sorts contributions by
``order`` then label, so the order never depends on the order pluggy happened
to load plugins in."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from phpnet.auth.models import Role
    from phpnet.regions.models import Regency


@dataclass(frozen=True)
class PluginInfo:
    """Who a plugin is. ``name`` equals its registered name, its blueprint's
    name and the URL part after ``/r/<regency>/``; ``province_path`` is the
    part after ``/provinsi/`` of its province pages (the name if empty);
    ``record_labels`` names the records of each of its tables for the audit
    log (``{"bimtek_session": "Sesi bimtek"}``), ``action_labels`` the actions
    it records itself with ``phpnet.audit.service.record``."""

    name: str
    label: str
    version: str
    description: str = ""
    requires: frozenset[str] = frozenset()
    default_enabled: bool = False
    order: int = 100
    province_path: str = ""
    record_labels: Mapping[str, str] = field(default_factory=dict)
    action_labels: Mapping[str, str] = field(default_factory=dict)


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
    permission: "Permission | str | None" = None


@dataclass(frozen=True)
class DashboardCard:
    """A card on the regency dashboard, loaded lazily from ``endpoint``
    (which returns an HTML fragment), so one slow card never blocks the page."""

    title: str
    endpoint: str
    order: int = 100
    permission: "Permission | str | None" = None


@dataclass(frozen=True)
class CheckResult:
    status: Literal["ok", "warn", "fail"]
    detail: str
    fix_endpoint: str | None = None


@dataclass(frozen=True)
class ReadinessCheck:
    """Something the province watches per regency (e.g. "SK tim sudah ada").

    ``evaluate`` judges many regencies in one go, with a fixed number of
    queries however many there are (the province's matrix passes all 38), and
    returns a result per regency id; a regency left out counts as failed."""

    key: str
    label: str
    evaluate: Callable[[Sequence["Regency"]], Mapping[int, CheckResult]]
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
    permission: "Permission | str | None" = None
    order: int = 100


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]


@dataclass(frozen=True)
class Figure:
    """A chart for the province's dashboard, drawn by core as SVG: one bar
    group per category (e.g. per regency), one bar per series; ``stacked``
    piles the series. ``unit`` follows every number ("%", " entri")."""

    key: str
    title: str
    categories: Sequence[str]
    series: Sequence[Series]
    stacked: bool = False
    unit: str = ""
    order: int = 100


@dataclass(frozen=True)
class WeeklyActivity:
    """How many activities of one kind (e.g. "Supervisi") each regency held
    per week; ``counts`` maps (regency id, Monday of the week) to a number."""

    label: str
    counts: Mapping[tuple[int, date], int]


@dataclass(frozen=True)
class Place:
    """A spot in a regency where something happened or someone was visited:
    the regency itself (no ids), a kecamatan (PPK), a desa (PPS) or a TPS
    (KPPS). Give every coarser id too: a TPS place names its desa and
    kecamatan."""

    kecamatan_id: int | None = None
    desa_id: int | None = None
    tps_id: int | None = None


@dataclass(frozen=True)
class RecordLink:
    """A record of one plugin that another plugin points to. The pointing
    plugin stores ``(plugin, record_id)``, never a foreign key, and shows
    ``label`` linking to ``url``."""

    plugin: str
    record_id: int
    label: str
    url: str


@dataclass(frozen=True)
class ProblemDraft:
    """A problem noticed in one plugin (e.g. a supervision finding) to be
    recorded by another (the DIM). ``source`` is an opaque token the first
    plugin recognises again in ``phpnet_record_created``; ``return_url`` is a
    local URL to come back to after saving."""

    place: Place
    description: str
    source: str
    return_url: str
    occurred_on: date | None = None
