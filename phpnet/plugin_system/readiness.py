"""Judging readiness: every plugin's checks over many regencies at once.

Each check runs once for all the regencies where its plugin is enabled, so
the province's matrix of 38 regencies costs one set of queries per check,
not 38 of them. A check that raises, or leaves a regency out, counts as
failed there; a regency where the plugin is disabled gets no result."""

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from phpnet.contrib import CheckResult, ReadinessCheck
from phpnet.plugin_system.calling import call_each, registry
from phpnet.plugin_system.enablement import enablement_matrix
from phpnet.plugin_system.registry import CORE_PLUGIN
from phpnet.regions.models import Regency

log = logging.getLogger(__name__)
CHECK_FAILED = CheckResult("fail", "Pemeriksaan gagal dijalankan; laporkan kepada admin.")


@dataclass(frozen=True)
class Judged:
    """One check's results, by regency id, for the regencies where it applies."""

    plugin: str
    check: ReadinessCheck
    results: Mapping[int, CheckResult]


def readiness_checks() -> list[tuple[str, ReadinessCheck]]:
    """(plugin, check) for every loaded plugin, in display order."""
    return call_each("phpnet_readiness_checks", registry().infos.keys())


def judge(regencies: Sequence[Regency]) -> list[Judged]:
    enabled = enablement_matrix(list(regencies))
    judged = []
    for plugin, check in readiness_checks():
        targets = [r for r in regencies if plugin == CORE_PLUGIN or plugin in enabled[r.id]]
        judged.append(Judged(plugin, check, _evaluate(plugin, check, targets)))
    return judged


def _evaluate(plugin: str, check: ReadinessCheck, targets: list[Regency]) -> dict[int, CheckResult]:
    if not targets:
        return {}
    try:
        results = check.evaluate(targets)
    except Exception:
        log.exception("readiness check %s of %s failed", check.key, plugin)
        results = {}
    return {regency.id: results.get(regency.id, CHECK_FAILED) for regency in targets}
