"""The province's tests run with an in-test plugin "siaga" whose readiness
checks, figure and weekly activity are simple grouped queries over core
tables, so the matrix and the charts can be checked against direct queries."""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, func, select

from phpnet.contrib import CheckResult, Figure, PluginInfo, ReadinessCheck, Series, WeeklyActivity
from phpnet.extensions import db
from phpnet.hookspecs import hookimpl
from phpnet.plugin_system.enablement import set_plugin_enabled
from phpnet.regions.models import Regency, Tps
from phpnet.teams.models import Team

FULL_TPS = 6  # the world has 6 TPS in each of Kab. Malang and Kota Surabaya


def tps_counts(regencies: Sequence[Regency]) -> dict[int, int]:
    rows = db.session.execute(
        select(Tps.regency_id, func.count())
        .where(Tps.regency_id.in_([r.id for r in regencies]))
        .group_by(Tps.regency_id)
    ).all()
    return {regency_id: number for regency_id, number in rows}


class SiagaPlugin:
    """Readiness by TPS count (ok from 6, warn below, fail without any) and
    by team decree; a figure of TPS per regency; 3 patrols a week each."""

    info = PluginInfo(name="siaga", label="Siaga", version="1.0", order=50)
    patrols: dict[tuple[int, date], int]

    def __init__(self) -> None:
        self.patrols = {}

    @hookimpl
    def phpnet_plugin_info(self) -> PluginInfo:
        return self.info

    @hookimpl
    def phpnet_readiness_checks(self) -> list[ReadinessCheck]:
        return [
            ReadinessCheck("siaga_tps", "TPS siaga", self._tps, order=60),
            ReadinessCheck("siaga_sk", "SK siaga", self._decree, order=61),
        ]

    def _tps(self, regencies: Sequence[Regency]) -> dict[int, CheckResult]:
        counts = tps_counts(regencies)
        return {r.id: self._tps_result(counts.get(r.id, 0)) for r in regencies}

    @staticmethod
    def _tps_result(count: int) -> CheckResult:
        if count >= FULL_TPS:
            return CheckResult("ok", f"{count} TPS siaga.")
        if count:
            return CheckResult("warn", f"Baru {count} TPS.", "regions.tps_import")
        return CheckResult("fail", "Belum ada TPS siaga.", "regions.tps_import")

    def _decree(self, regencies: Sequence[Regency]) -> dict[int, CheckResult]:
        with_team = set(
            db.session.execute(
                select(Team.regency_id).where(Team.regency_id.in_([r.id for r in regencies]))
            ).scalars()
        )
        return {
            r.id: CheckResult("ok", "SK ada.")
            if r.id in with_team
            else CheckResult("fail", "SK siaga belum ada.", "teams.index")
            for r in regencies
        }

    @hookimpl
    def phpnet_province_figures(self, regencies: list[Regency]) -> list[Figure]:
        counts = tps_counts(regencies)
        return [
            Figure(
                "siaga-tps",
                "TPS siaga per kab/kota",
                [r.name for r in regencies],
                [Series("TPS", [counts.get(r.id, 0) for r in regencies])],
                unit=" TPS",
            )
        ]

    @hookimpl
    def phpnet_weekly_activity(
        self, regencies: list[Regency], start: date, end: date
    ) -> list[WeeklyActivity]:
        wanted = {r.id for r in regencies}
        counts = {key: n for key, n in self.patrols.items() if key[0] in wanted}
        return [WeeklyActivity("Patroli", counts)]


@pytest.fixture
def siaga() -> SiagaPlugin:
    return SiagaPlugin()


@pytest.fixture
def app_config(app_config: dict[str, Any], siaga: SiagaPlugin) -> dict[str, Any]:
    return {**app_config, "PHPNET_EXTRA_PLUGINS": {"siaga": siaga}}


@pytest.fixture
def enable_siaga(app: Any, regency: Callable[[str], Regency]) -> Callable[..., None]:
    def enable(*codes: str) -> None:
        for code in codes:
            set_plugin_enabled(regency(code), "siaga", True, by=None)
        db.session.commit()

    return enable


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    """The SQL statements run inside the block."""
    statements: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
