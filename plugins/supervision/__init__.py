"""Supervisi & Pendampingan: advocacy, supervision, oversight, assistance and
facilitation of the PPK, PPS and KPPS, with their findings and follow-ups.
A phpnet plugin; see docs/plugins.md."""

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
    RecordLink,
    Regency,
    SearchResult,
    WeeklyActivity,
    hookimpl,
)
from plugins.supervision import (  # noqa: F401 - tables and routes
    linking,
    models,
    search,
    summary,
    views_activity,
    views_list,
    views_reports,
    views_sections,
)
from plugins.supervision.blueprint import LABEL, NAME, VIEW, bp
from plugins.supervision.models import (
    Activity,
    ActivityDocument,
    ActivityMember,
    Body,
    Finding,
    FollowUp,
)

INFO = PluginInfo(
    name=NAME,
    label=LABEL,
    version="0.1.0",
    description=(
        "Advokasi, supervisi, pengawasan, pendampingan dan fasilitasi PPK, PPS dan KPPS: "
        "temuan, tindak lanjut dan cakupan wilayah."
    ),
    default_enabled=True,
    order=20,
    record_labels={
        Activity.__tablename__: "Kegiatan supervisi",
        Body.__tablename__: "Badan ad hoc yang dikunjungi",
        ActivityMember.__tablename__: "Petugas kegiatan supervisi",
        Finding.__tablename__: "Temuan supervisi",
        FollowUp.__tablename__: "Tindak lanjut temuan",
        ActivityDocument.__tablename__: "Dokumen kegiatan supervisi",
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
    return [NavItem(LABEL, "supervision.index", order=INFO.order)]


@hookimpl
def phpnet_dashboard_cards() -> list[DashboardCard]:
    return [DashboardCard(LABEL, "supervision.card", order=INFO.order)]


@hookimpl
def phpnet_readiness_checks() -> list[ReadinessCheck]:
    return [
        ReadinessCheck(
            "supervision_ppk_reached",
            "PPK setiap kecamatan sudah disupervisi atau didampingi",
            summary.check_ppk_reached,
            order=40,
        ),
        ReadinessCheck(
            "supervision_no_overdue",
            "Tidak ada tindak lanjut supervisi yang terlambat",
            summary.check_no_overdue,
            order=41,
        ),
    ]


@hookimpl
def phpnet_search(regency: Regency, query: str, limit: int) -> list[SearchResult]:
    return search.search(regency.id, query, limit)


@hookimpl
def phpnet_exports() -> list[ExportSpec]:
    return [
        ExportSpec(
            "kegiatan",
            "Kegiatan supervisi dan pendampingan",
            search.ACTIVITY_COLUMNS,
            search.export_activities,
            permission=VIEW,
            order=INFO.order,
        ),
        ExportSpec(
            "tindak_lanjut",
            "Tindak lanjut supervisi dan pendampingan",
            search.FOLLOW_UP_COLUMNS,
            search.export_follow_ups,
            permission=VIEW,
            order=INFO.order + 1,
        ),
    ]


@hookimpl
def phpnet_province_figures(regencies: Sequence[Regency]) -> list[Figure]:
    return summary.province_figures(regencies)


@hookimpl
def phpnet_weekly_activity(
    regencies: Sequence[Regency], start: date, end: date
) -> list[WeeklyActivity]:
    return summary.weekly_activity(regencies, start, end)


@hookimpl
def phpnet_record_created(regency: Regency, source: str, record: RecordLink) -> None:
    linking.record_created(regency, source, record)
