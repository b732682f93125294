"""Core's own contributions, registered as the plugin "phpnet.core" so that
core pages and plugin pages meet in the same navigation, dashboard, search,
readiness checks and exports."""

from collections.abc import Iterator, Sequence

from flask import url_for
from sqlalchemy import func, or_, select

from phpnet.auth.models import Role
from phpnet.contrib import (
    CheckResult,
    DashboardCard,
    ExportSpec,
    NavItem,
    Permission,
    ReadinessCheck,
    SearchResult,
)
from phpnet.extensions import db
from phpnet.hookspecs import hookimpl
from phpnet.regions.models import Desa, Kecamatan, Regency, Tps
from phpnet.teams.models import Team, TeamMember, current_team, current_teams

AUDIT_PERMISSION = "core.audit"


@hookimpl
def phpnet_permissions() -> list[Permission]:
    return [
        Permission(
            AUDIT_PERMISSION,
            "Membaca log audit kab/kota",
            frozenset({Role.ADMIN, Role.PROVINSI, Role.OPERATOR}),
        )
    ]


@hookimpl
def phpnet_nav_items() -> list[NavItem]:
    return [
        NavItem("Ringkasan", "regions.regency", order=0),
        NavItem("Tim Penyelesaian PHP", "teams.index", order=20),
        NavItem("Kesiapan", "dashboard.readiness", order=900),
        NavItem("Ekspor", "dashboard.exports", order=910),
        NavItem("Log audit", "audit.regency_log", order=920, permission=AUDIT_PERMISSION),
    ]


@hookimpl
def phpnet_province_nav_items() -> list[NavItem]:
    return [
        NavItem("Dasbor provinsi", "province.dashboard", order=1),
        NavItem("Kesiapan 38 kab/kota", "province.readiness_matrix", order=2),
    ]


@hookimpl
def phpnet_dashboard_cards() -> list[DashboardCard]:
    return [
        DashboardCard("Tim Penyelesaian PHP", "dashboard.card_team", order=20),
    ]


def _team_check(regencies: Sequence[Regency]) -> dict[int, CheckResult]:
    teams = current_teams([r.id for r in regencies])
    members = dict(
        db.session.execute(
            select(TeamMember.team_id, func.count(TeamMember.id))
            .where(TeamMember.team_id.in_([team.id for team in teams.values()]))
            .group_by(TeamMember.team_id)
        )
        .tuples()
        .all()
    )
    return {r.id: _team_result(teams.get(r.id), members) for r in regencies}


def _team_result(team: Team | None, members: dict[int, int]) -> CheckResult:
    if team is None:
        return CheckResult("fail", "Belum ada SK Tim Penyelesaian PHP.", "teams.index")
    count = members.get(team.id, 0)
    if not count:
        return CheckResult("warn", f"SK {team.sk_number} belum memuat anggota.", "teams.index")
    return CheckResult("ok", f"SK {team.sk_number}, {count} anggota.")


def _tps_check(regencies: Sequence[Regency]) -> dict[int, CheckResult]:
    counts = dict(
        db.session.execute(
            select(Tps.regency_id, func.count(Tps.id))
            .where(Tps.regency_id.in_([r.id for r in regencies]))
            .group_by(Tps.regency_id)
        )
        .tuples()
        .all()
    )
    return {r.id: _tps_result(counts.get(r.id, 0)) for r in regencies}


def _tps_result(count: int) -> CheckResult:
    if count == 0:
        return CheckResult("fail", "Data TPS belum diimpor.", "regions.tps_import")
    return CheckResult("ok", f"{count:,} TPS tercatat.".replace(",", "."))


@hookimpl
def phpnet_readiness_checks() -> list[ReadinessCheck]:
    return [
        ReadinessCheck("team", "SK Tim Penyelesaian PHP", _team_check, order=10),
        ReadinessCheck("tps", "Data TPS", _tps_check, order=20),
    ]


def _region_results(regency: Regency, query: str, limit: int) -> Iterator[SearchResult]:
    for model, endpoint, kind in (
        (Kecamatan, "regions.kecamatan", "Kecamatan"),
        (Desa, "regions.desa", "Desa/Kelurahan"),
    ):
        rows = db.session.execute(
            select(model)
            .where(
                model.regency_id == regency.id,
                or_(
                    model.name.icontains(query, autoescape=True),
                    model.code.startswith(query, autoescape=True),
                ),
            )
            .order_by(model.code)
            .limit(limit)
        ).scalars()
        for row in rows:
            yield SearchResult(
                row.name, url_for(endpoint, regency=regency.slug, kode=row.slug), row.code, kind
            )


@hookimpl
def phpnet_search(regency: Regency, query: str, limit: int) -> list[SearchResult]:
    results = list(_region_results(regency, query, limit))
    team = current_team(regency.id)
    if team is not None:
        for member in team.members:
            if query.lower() in member.name.lower():
                results.append(
                    SearchResult(
                        member.name,
                        url_for("teams.index", regency=regency.slug),
                        member.position.label,
                        "Anggota Tim PHP",
                    )
                )
    return results[:limit]


def _tps_rows(regency: Regency) -> Iterator[Sequence[object]]:
    rows = db.session.execute(
        select(Kecamatan.name, Desa.code, Desa.name, Tps.number, Tps.address, Tps.voter_count)
        .join(Desa, Desa.id == Tps.desa_id)
        .join(Kecamatan, Kecamatan.id == Tps.kecamatan_id)
        .where(Tps.regency_id == regency.id)
        .order_by(Desa.code, Tps.number)
        .execution_options(yield_per=2000)
    )
    yield from rows


def _team_rows(regency: Regency) -> Iterator[Sequence[object]]:
    team = current_team(regency.id)
    for member in team.members if team else []:
        yield (member.name, member.position.label, member.unit_label, member.nip, member.phone)


@hookimpl
def phpnet_exports() -> list[ExportSpec]:
    return [
        ExportSpec(
            "tps",
            "Daftar TPS",
            ("Kecamatan", "Kode desa", "Desa/Kelurahan", "Nomor TPS", "Alamat", "Jumlah pemilih"),
            _tps_rows,
            order=10,
        ),
        ExportSpec(
            "tim",
            "Anggota Tim Penyelesaian PHP",
            ("Nama", "Jabatan dalam tim", "Unit kerja", "NIP", "Telepon"),
            _team_rows,
            order=20,
        ),
    ]
