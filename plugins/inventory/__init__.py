"""Inventarisasi Masalah (DIM): the problem inventory of voting, counting and
tabulation, down to the TPS. A phpnet plugin; see docs/plugins.md."""

from flask import Blueprint

from phpnet.hookspecs import hookimpl
from phpnet.plugin_api import (
    DashboardCard,
    ExportSpec,
    Figure,
    NavItem,
    Place,
    PluginInfo,
    ProblemDraft,
    ReadinessCheck,
    RecordLink,
    Regency,
    SearchResult,
)
from plugins.inventory import (  # noqa: F401 - tables and routes
    figures,
    links,
    models,
    summary,
    views_categories,
    views_dashboard,
    views_detail,
    views_entry,
    views_list,
    views_status,
    views_transfer,
)
from plugins.inventory.blueprint import NAME, VIEW, bp
from plugins.inventory.demo import add_demo_entries
from plugins.inventory.importer import IMPORT_ACTION
from plugins.inventory.models import Category, Entry, Evidence
from plugins.inventory.views_province import (  # noqa: F401 - the province's page hooks
    phpnet_province_blueprints,
    phpnet_province_nav_items,
)

INFO = PluginInfo(
    name=NAME,
    label="Inventarisasi Masalah",
    version="0.1.0",
    description="Daftar inventarisasi masalah (DIM) pemungutan, penghitungan dan rekapitulasi.",
    default_enabled=True,
    order=10,
    record_labels={
        Category.__tablename__: "Kategori masalah DIM",
        Entry.__tablename__: "Entri DIM",
        Evidence.__tablename__: "Bukti entri DIM",
    },
    action_labels={IMPORT_ACTION: "Impor DIM"},
)


@hookimpl
def phpnet_plugin_info() -> PluginInfo:
    return INFO


@hookimpl
def phpnet_blueprints() -> list[Blueprint]:
    return [bp]


@hookimpl
def phpnet_nav_items() -> list[NavItem]:
    return [NavItem(INFO.label, "inventory.index", order=INFO.order)]


@hookimpl
def phpnet_dashboard_cards() -> list[DashboardCard]:
    return [DashboardCard(INFO.label, "inventory.card", order=INFO.order)]


@hookimpl
def phpnet_readiness_checks() -> list[ReadinessCheck]:
    return [
        ReadinessCheck("dim_started", "DIM sudah diisi", summary.check_started, order=30),
        ReadinessCheck("dim_follow_up", "Tindak lanjut DIM", summary.check_follow_up, order=31),
        ReadinessCheck(
            "dim_disputed_evidence",
            "Bukti entri berpotensi sengketa",
            summary.check_disputed_evidence,
            order=32,
        ),
    ]


@hookimpl
def phpnet_demo_data(regency: Regency) -> str:
    return add_demo_entries(regency)


@hookimpl
def phpnet_search(regency: Regency, query: str, limit: int) -> list[SearchResult]:
    return summary.search(regency.id, query, limit)


@hookimpl
def phpnet_exports() -> list[ExportSpec]:
    return [
        ExportSpec(
            "dim",
            "Inventarisasi Masalah (DIM), tabel sederhana",
            summary.EXPORT_COLUMNS,
            summary.export_rows,
            permission=VIEW,
            order=INFO.order,
        )
    ]


@hookimpl
def phpnet_province_figures(regencies: list[Regency]) -> list[Figure]:
    return figures.province_figures(regencies)


@hookimpl
def phpnet_records_at(regency: Regency, place: Place) -> list[RecordLink]:
    return links.records_at(regency, place)


@hookimpl
def phpnet_problem_form(regency: Regency, draft: ProblemDraft) -> str | None:
    return links.problem_form(regency, draft)
