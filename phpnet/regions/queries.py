"""Counts and search over the regions. Counts are grouped queries (one per
table, never one per row), so a page of 38 regencies or 390 desa costs the
same handful of queries."""

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import joinedload

from phpnet.extensions import db
from phpnet.regions.models import Desa, Kecamatan, Regency, Tps, dotted_code

SEARCH_LIMIT = 50  # per level
_CODE_QUERY = re.compile(r"[\d.]+")


@dataclass
class Counts:
    """What lies under a region (or under the whole province)."""

    kecamatan: int = 0
    desa: int = 0
    kelurahan: int = 0
    tps: int = 0
    voters: int = 0

    def add(self, other: "Counts") -> None:
        for key, value in other.__dict__.items():
            setattr(self, key, getattr(self, key) + value)

    @property
    def desa_kelurahan(self) -> int:
        return self.desa + self.kelurahan


def _fill(
    counts: defaultdict[int, Counts], statement: Select[Any], fields: tuple[str, ...]
) -> None:
    """Set ``fields`` of ``counts`` from rows of (group id, value, ...)."""
    for group_id, *values in db.session.execute(statement).tuples():
        for name, value in zip(fields, values, strict=True):
            setattr(counts[group_id], name, value or 0)


def _desa_counts(group: Any, *where: ColumnElement[bool]) -> Select[Any]:
    is_kelurahan = Desa.kind == "kelurahan"
    return (
        select(group, func.count().filter(~is_kelurahan), func.count().filter(is_kelurahan))
        .where(*where)
        .group_by(group)
    )


def _tps_counts(group: Any, *where: ColumnElement[bool]) -> Select[Any]:
    return select(group, func.count(), func.sum(Tps.voter_count)).where(*where).group_by(group)


def counts_by_regency() -> defaultdict[int, Counts]:
    counts: defaultdict[int, Counts] = defaultdict(Counts)
    kecamatan = select(Kecamatan.regency_id, func.count()).group_by(Kecamatan.regency_id)
    _fill(counts, kecamatan, ("kecamatan",))
    _fill(counts, _desa_counts(Desa.regency_id), ("desa", "kelurahan"))
    _fill(counts, _tps_counts(Tps.regency_id), ("tps", "voters"))
    return counts


def counts_by_kecamatan(regency: Regency) -> defaultdict[int, Counts]:
    counts: defaultdict[int, Counts] = defaultdict(Counts)
    _fill(
        counts,
        _desa_counts(Desa.kecamatan_id, Desa.regency_id == regency.id),
        ("desa", "kelurahan"),
    )
    _fill(counts, _tps_counts(Tps.kecamatan_id, Tps.regency_id == regency.id), ("tps", "voters"))
    return counts


def counts_by_desa(kecamatan: Kecamatan) -> defaultdict[int, Counts]:
    counts: defaultdict[int, Counts] = defaultdict(Counts)
    _fill(counts, _tps_counts(Tps.desa_id, Tps.kecamatan_id == kecamatan.id), ("tps", "voters"))
    return counts


def total(counts: dict[int, Counts]) -> Counts:
    result = Counts()
    for item in counts.values():
        result.add(item)
    return result


# --- search ------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """The regions of one level that match, at most SEARCH_LIMIT of them."""

    items: list[Any]
    cut: bool


@dataclass(frozen=True)
class SearchResults:
    regencies: Found
    kecamatan: Found
    desa: Found

    @property
    def empty(self) -> bool:
        return not (self.regencies.items or self.kecamatan.items or self.desa.items)


def _matches(model: type, query: str) -> ColumnElement[bool]:
    """By code (with or without dots: a prefix) or by part of the name."""
    if _CODE_QUERY.fullmatch(query):
        digits = query.replace(".", "")
        return model.code.startswith(dotted_code(digits), autoescape=True)
    return model.name.icontains(query, autoescape=True)


def _found(statement: Select[Any]) -> Found:
    items = list(db.session.execute(statement.limit(SEARCH_LIMIT + 1)).scalars().unique())
    return Found(items[:SEARCH_LIMIT], len(items) > SEARCH_LIMIT)


def search_regions(query: str, regency_id: int | None = None) -> SearchResults:
    """Regencies, kecamatan and desa matching ``query``; only those of
    ``regency_id`` when given (a regional user sees only their own)."""

    def visible(statement: Select[Any], model: type) -> Select[Any]:
        column = model.id if model is Regency else model.regency_id
        statement = statement.where(_matches(model, query)).order_by(model.code)
        return statement if regency_id is None else statement.where(column == regency_id)

    return SearchResults(
        regencies=_found(visible(select(Regency).where(Regency.is_active), Regency)),
        kecamatan=_found(
            visible(select(Kecamatan).options(joinedload(Kecamatan.regency)), Kecamatan)
        ),
        desa=_found(
            visible(
                select(Desa).options(joinedload(Desa.kecamatan).joinedload(Kecamatan.regency)),
                Desa,
            )
        ),
    )
