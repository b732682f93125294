"""The province's readiness matrix: every active regency by every readiness
check, from one set of queries (``judge`` asks each check once about all the
regencies where its plugin is enabled), with a score per regency.

A cell is ok, warn or fail, or "not enabled" where the check's plugin is off
for the regency: that is not a failure and does not count in the score."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from flask import url_for
from sqlalchemy import select
from werkzeug.routing import BuildError

from phpnet.contrib import CheckResult, ReadinessCheck
from phpnet.extensions import db
from phpnet.plugin_system.calling import registry
from phpnet.plugin_system.readiness import judge
from phpnet.plugin_system.registry import CORE_PLUGIN
from phpnet.regions.models import Regency

CORE_LABEL = "Umum"
POINTS = {"ok": 1.0, "warn": 0.5, "fail": 0.0}
STATUS_LABELS = {
    "ok": "Siap",
    "warn": "Perlu perhatian",
    "fail": "Belum",
    "off": "tidak diaktifkan",
}
SORTS = {"kode": "Kode wilayah", "nama": "Nama", "terburuk": "Terburuk dahulu"}
DEFAULT_SORT = "kode"


@dataclass(frozen=True)
class Column:
    plugin: str
    plugin_label: str
    check: ReadinessCheck


@dataclass(frozen=True)
class Cell:
    status: Literal["ok", "warn", "fail", "off"]
    detail: str
    fix_url: str | None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class Row:
    regency: Regency
    cells: list[Cell]

    def count(self, status: str) -> int:
        return sum(1 for cell in self.cells if cell.status == status)

    @property
    def fails(self) -> int:
        return self.count("fail")

    @property
    def applicable(self) -> int:
        return sum(1 for cell in self.cells if cell.status != "off")

    @property
    def score(self) -> float | None:
        """Percent of the applicable checks met (warn counts half)."""
        if not self.applicable:
            return None
        points = sum(POINTS[cell.status] for cell in self.cells if cell.status != "off")
        return round(100 * points / self.applicable, 1)


@dataclass(frozen=True)
class Matrix:
    columns: list[Column]
    rows: list[Row]

    @property
    def groups(self) -> list[tuple[str, int]]:
        """(module label, number of its columns), for the header row above
        the checks (columns of one module are side by side)."""
        groups: list[tuple[str, int]] = []
        for column in self.columns:
            if groups and groups[-1][0] == column.plugin_label:
                groups[-1] = (column.plugin_label, groups[-1][1] + 1)
            else:
                groups.append((column.plugin_label, 1))
        return groups


def active_regencies() -> list[Regency]:
    return list(
        db.session.execute(
            select(Regency).where(Regency.is_active).order_by(Regency.code)
        ).scalars()
    )


def plugin_label(plugin: str) -> str:
    if plugin == CORE_PLUGIN:
        return CORE_LABEL
    info = registry().infos.get(plugin)
    return info.label if info else plugin


def fix_url(endpoint: str | None, regency: Regency) -> str | None:
    """The fix page inside ``regency``; None for an endpoint that does not
    exist (a plugin's typo must not break the province's matrix)."""
    if not endpoint:
        return None
    try:
        return url_for(endpoint, regency=regency.slug)
    except BuildError:
        return None


def _cell(result: CheckResult | None, regency: Regency) -> Cell:
    if result is None:
        return Cell("off", "Modul tidak diaktifkan untuk kabupaten/kota ini.", None)
    return Cell(result.status, result.detail, fix_url(result.fix_endpoint, regency))


def build_matrix(regencies: Sequence[Regency]) -> Matrix:
    judged = judge(regencies)
    # Each module's checks side by side, modules in the order of their first check.
    first: dict[str, int] = {}
    for position, one in enumerate(judged):
        first.setdefault(one.plugin, position)
    judged.sort(key=lambda one: first[one.plugin])
    columns = [Column(j.plugin, plugin_label(j.plugin), j.check) for j in judged]
    rows = [
        Row(regency, [_cell(j.results.get(regency.id), regency) for j in judged])
        for regency in regencies
    ]
    return Matrix(columns, rows)


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    if sort == "nama":
        return sorted(rows, key=lambda r: (r.regency.name, r.regency.code))
    if sort == "terburuk":
        return sorted(
            rows,
            key=lambda r: (
                101.0 if r.score is None else r.score,
                -r.count("fail"),
                r.regency.code,
            ),
        )
    return sorted(rows, key=lambda r: r.regency.code)


def average_score(rows: Sequence[Row]) -> float | None:
    scores = [row.score for row in rows if row.score is not None]
    return round(sum(scores) / len(scores), 1) if scores else None
