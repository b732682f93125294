"""Rapat Koordinasi (rakor): coordination meetings of each KPU kabupaten/kota
with its PPK, PPS and KPPS, and of KPU Provinsi with the 38 KPU
kabupaten/kota; minutes, decisions and action items followed to the end.
A phpnet plugin; see docs/plugins.md."""

from datetime import date

from flask import Blueprint

from phpnet.hookspecs import hookimpl
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
)
from plugins.coordination import (  # noqa: F401 - tables and routes
    models,
    summary,
    views_actions,
    views_invited,
    views_regency,
)
from plugins.coordination.blueprint import NAME, PROVINCE_PATH, VIEW, bp
from plugins.coordination.models import (
    ActionItem,
    AgendaItem,
    Attendee,
    Decision,
    InvitedBody,
    InvitedRegency,
    Meeting,
)
from plugins.coordination.views_province import (  # noqa: F401 - the province's page hooks
    phpnet_province_blueprints,
    phpnet_province_nav_items,
)

INFO = PluginInfo(
    name=NAME,
    label="Rapat Koordinasi",
    version="0.1.0",
    description=(
        "Rakor dengan PPK, PPS dan KPPS serta rakor KPU Provinsi dengan KPU kabupaten/kota: "
        "undangan, daftar hadir, notulen, keputusan dan tindak lanjut."
    ),
    default_enabled=True,
    order=40,
    province_path=PROVINCE_PATH,
    record_labels={
        Meeting.__tablename__: "Rapat koordinasi",
        AgendaItem.__tablename__: "Agenda rakor",
        InvitedBody.__tablename__: "Badan ad hoc yang diundang",
        InvitedRegency.__tablename__: "KPU kabupaten/kota yang diundang",
        Attendee.__tablename__: "Peserta rakor",
        Decision.__tablename__: "Keputusan rakor",
        ActionItem.__tablename__: "Tindak lanjut rakor",
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
    return [NavItem(INFO.label, "coordination.index", order=INFO.order)]


@hookimpl
def phpnet_dashboard_cards() -> list[DashboardCard]:
    return [DashboardCard(INFO.label, "coordination.card", order=INFO.order)]


@hookimpl
def phpnet_readiness_checks() -> list[ReadinessCheck]:
    return [
        ReadinessCheck(
            "rakor_adhoc_held", "Rakor dengan PPK/PPS/KPPS", summary.check_rakor_held, order=60
        ),
        ReadinessCheck(
            "rakor_no_overdue",
            "Tindak lanjut rakor tepat waktu",
            summary.check_no_overdue,
            order=61,
        ),
        ReadinessCheck(
            "rakor_attendance_confirmed",
            "Konfirmasi kehadiran rakor provinsi",
            summary.check_attendance_confirmed,
            order=62,
        ),
    ]


@hookimpl
def phpnet_search(regency: Regency, query: str, limit: int) -> list[SearchResult]:
    return summary.search(regency.id, query, limit)


@hookimpl
def phpnet_exports() -> list[ExportSpec]:
    return [
        ExportSpec(
            "rakor", "Rapat koordinasi", summary.MEETING_COLUMNS, summary.meeting_rows,
            permission=VIEW, order=INFO.order,
        ),
        ExportSpec(
            "tindak_lanjut", "Tindak lanjut rapat koordinasi", summary.ACTION_COLUMNS,
            summary.action_rows, permission=VIEW, order=INFO.order + 1,
        ),
    ]  # fmt: skip


@hookimpl
def phpnet_province_figures(regencies: list[Regency]) -> list[Figure]:
    return summary.province_figures(regencies)


@hookimpl
def phpnet_weekly_activity(
    regencies: list[Regency], start: date, end: date
) -> list[WeeklyActivity]:
    return summary.weekly_activity(regencies, start, end)
