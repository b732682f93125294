"""The one contract between phpnet's core and its plugins.

A plugin is a module (or package) with functions named like the specs below,
decorated with ``@hookimpl``. Hooks that return something return a list (or
one item) that core collects from every plugin ENABLED for the regency at
hand; a disabled plugin's contributions never appear. Argument names must
match the spec; a plugin may accept fewer arguments than the spec offers.
See docs/plugins.md for a walk-through with a plugin to copy."""

from typing import TYPE_CHECKING

import click
import pluggy
from flask import Blueprint
from markupsafe import Markup

if TYPE_CHECKING:
    from datetime import date

    from phpnet.auth.models import User
    from phpnet.contrib import (
        DashboardCard,
        ExportSpec,
        Figure,
        NavItem,
        Permission,
        Place,
        PluginInfo,
        ProblemDraft,
        ReadinessCheck,
        RecordLink,
        SearchResult,
        WeeklyActivity,
    )
    from phpnet.regions.models import Regency

PROJECT = "phpnet"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def phpnet_plugin_info() -> "PluginInfo":
    """Who the plugin is: name (= registered name = blueprint name = URL part),
    label shown to users, version, the plugins it requires, whether new
    regencies get it enabled, and its place in menus. Every plugin implements it."""


@hookspec
def phpnet_blueprints() -> "list[Blueprint]":
    """The plugin's Flask blueprints. Core mounts each at
    ``/r/<regency>/<plugin name>/``; the blueprint's name must be the plugin's
    name. Core, not the view, answers 404 where the plugin is disabled or the
    user belongs to another regency."""


@hookspec
def phpnet_province_blueprints() -> "list[Blueprint]":
    """Blueprints for the province's pages of the plugin, across all 38
    regencies. Core mounts each at ``/provinsi/<province_path or name>/``
    (``PluginInfo.province_path``); a blueprint's
    name must be ``"<plugin name>_provinsi"``. Core answers them only to admin
    and provinsi users (403 for regency roles, login for anonymous users)."""


@hookspec
def phpnet_province_nav_items(user: "User") -> "list[NavItem]":
    """Links to the plugin's province pages, in the main menu of admin and
    provinsi users (and nobody else)."""


@hookspec
def phpnet_permissions() -> "list[Permission]":
    """Permissions (``"<plugin>.<action>"``, the roles that hold them) that no
    view of the plugin names: core learns the others from the views'
    ``@requires``. Code checks any of them with ``has_permission``."""


@hookspec
def phpnet_nav_items(regency: "Regency", user: "User") -> "list[NavItem]":
    """Links for the regency's navigation bar."""


@hookspec
def phpnet_dashboard_cards(regency: "Regency", user: "User") -> "list[DashboardCard]":
    """Cards for the regency dashboard ``/r/<regency>/``, each loaded lazily
    from its own endpoint, which returns an HTML fragment."""


@hookspec
def phpnet_readiness_checks() -> "list[ReadinessCheck]":
    """What the province watches for each regency (is the team appointed, is
    the inventory filled in...). Each check judges many regencies at once
    (``ReadinessCheck.evaluate``); core asks it only about regencies where the
    plugin is enabled. A check that raises counts as failed."""


@hookspec
def phpnet_province_figures(regencies: "list[Regency]") -> "list[Figure]":
    """Charts for the province's dashboard about ``regencies`` (those where
    the plugin is enabled, in code order), from one set of queries."""


@hookspec
def phpnet_weekly_activity(
    regencies: "list[Regency]", start: "date", end: "date"
) -> "list[WeeklyActivity]":
    """Activities held (visits, sessions, meetings...) per regency and week,
    for weeks starting from Monday ``start`` up to ``end``; the province's
    dashboard draws them side by side."""


@hookspec
def phpnet_records_at(regency: "Regency", place: "Place") -> "list[RecordLink]":
    """The plugin's records about exactly ``place`` (e.g. the DIM entries of
    a TPS), so another plugin can link to them without importing this one."""


@hookspec
def phpnet_problem_form(regency: "Regency", draft: "ProblemDraft") -> "str | None":
    """The URL of the plugin's form that records ``draft`` as one of its own
    records, prefilled; None if the user cannot. After saving, the plugin
    calls ``phpnet_record_created`` with the draft's ``source``."""


@hookspec
def phpnet_record_created(regency: "Regency", source: str, record: "RecordLink") -> None:
    """Called on every enabled plugin after a record was saved from a
    ``ProblemDraft``: the plugin that made ``source`` links itself to
    ``record``; the others ignore it."""


@hookspec
def phpnet_search(regency: "Regency", user: "User", query: str, limit: int) -> "list[SearchResult]":
    """At most ``limit`` results for ``query`` inside ``regency``, shown on
    ``/r/<regency>/cari`` grouped by plugin. A plugin that raises is skipped."""


@hookspec
def phpnet_exports(regency: "Regency", user: "User") -> "list[ExportSpec]":
    """Tables the plugin offers for download; core streams them as CSV at
    ``/r/<regency>/ekspor/<plugin>/<key>`` with spreadsheet formulas neutralised."""


@hookspec
def phpnet_regency_enabled(regency: "Regency") -> None:
    """Called on this plugin only, right after it was enabled for ``regency``
    (in the same transaction), e.g. to create default rows."""


@hookspec
def phpnet_regency_disabled(regency: "Regency") -> None:
    """Called on this plugin only, right after it was disabled for ``regency``.
    Data stays: disabling hides a module, it never deletes its records."""


@hookspec
def phpnet_template_slot(slot: str, regency: "Regency", user: "User") -> "Markup | None":
    """HTML for a named place in core's regency pages (``{{ slot("name") }}``),
    instead of overriding templates. Slots: ``dashboard_top`` (above the
    regency dashboard's cards) and ``team_aside`` (under the dispute team).
    Return ``Markup`` you escaped yourself; a plugin that raises is skipped."""


@hookspec
def phpnet_demo_data(regency: "Regency") -> "str | None":
    """Add the plugin's demo records for ``regency`` to the session (the caller
    commits): ``phpnet demo`` on a new database calls it for Kab. Malang and
    Kota Surabaya where the plugin is enabled, after the regions, the TPS, the
    demo accounts and Kab. Malang's dispute team. Returns a few words for the
    command's summary ("6 entri DIM"), or None."""


@hookspec
def phpnet_cli(group: click.Group) -> None:
    """Add click commands to the ``phpnet`` command line."""
