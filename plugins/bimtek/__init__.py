"""Bimbingan Teknis (bimtek): technical guidance sessions for PPK, PPS and
KPPS, with participants, attendance, test scores and coverage. A phpnet
plugin; see docs/plugins.md."""

from collections.abc import Sequence
from datetime import date

from flask import Blueprint

from phpnet.plugin_api import (
    DashboardCard,
    ExportSpec,
    Figure,
    NavItem,
    PluginInfo,
    ReadinessCheck,
    Regency,
    SearchResult,
    WeeklyActivity,
    hookimpl,
)
from plugins.bimtek import (  # noqa: F401 - tables and routes
    models,
    summary,
    views_detail,
    views_outputs,
    views_participants,
    views_scores,
    views_sessions,
    views_targets,
)
from plugins.bimtek.blueprint import LABEL, NAME, VIEW, bp
from plugins.bimtek.models import Material, Participant, Session, Speaker, Target

INFO = PluginInfo(
    name=NAME,
    label=LABEL,
    version="0.1.0",
    description="Bimtek untuk PPK, PPS dan KPPS: peserta, kehadiran, nilai dan cakupan.",
    default_enabled=True,
    order=30,
    record_labels={
        Session.__tablename__: "Sesi bimtek",
        Target.__tablename__: "Sasaran bimtek",
        Speaker.__tablename__: "Narasumber bimtek",
        Material.__tablename__: "Materi bimtek",
        Participant.__tablename__: "Peserta bimtek",
    },
)


@hookimpl
def phpnet_plugin_info() -> PluginInfo:
    return INFO


@hookimpl
def phpnet_blueprints() -> list[Blueprint]:
    return [bp]


@hookimpl
def phpnet_nav_items() -> list[NavItem]:
    return [NavItem(LABEL, "bimtek.index", order=INFO.order)]


@hookimpl
def phpnet_dashboard_cards() -> list[DashboardCard]:
    return [DashboardCard(LABEL, "bimtek.card", order=INFO.order)]


@hookimpl
def phpnet_readiness_checks() -> list[ReadinessCheck]:
    return [
        ReadinessCheck("bimtek_ppk", "Bimtek untuk setiap PPK", summary.check_every_ppk, 50),
        ReadinessCheck(
            "bimtek_attendance", "Kehadiran peserta bimtek", summary.check_attendance, 51
        ),
    ]


@hookimpl
def phpnet_search(regency: Regency, query: str, limit: int) -> list[SearchResult]:
    return summary.search(regency.id, query, limit)


@hookimpl
def phpnet_exports() -> list[ExportSpec]:
    return [
        ExportSpec(
            "sesi", "Sesi bimtek dengan kehadiran dan nilai", summary.SESSION_COLUMNS,
            summary.session_rows, permission=VIEW, order=INFO.order,
        ),
        ExportSpec(
            "peserta", "Peserta bimtek semua sesi", summary.PARTICIPANT_COLUMNS,
            summary.participant_rows, permission=VIEW, order=INFO.order + 1,
        ),
    ]  # fmt: skip


@hookimpl
def phpnet_province_figures(regencies: Sequence[Regency]) -> list[Figure]:
    return summary.province_figures(regencies)


@hookimpl
def phpnet_weekly_activity(
    regencies: Sequence[Regency], start: date, end: date
) -> list[WeeklyActivity]:
    return [summary.weekly_activity(regencies, start, end)]
