"""Coverage of one regency: which kecamatan (PPK) and desa (PPS) the
activities reached, and by which kinds; the KPPS reached per kecamatan and
desa. A fixed number of grouped queries whatever the number of activities."""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import distinct, func, select

from phpnet.plugin_api import Desa, Kecamatan, db
from plugins.supervision.models import Activity, Body, BodyLevel, Kind


@dataclass
class KecamatanCoverage:
    id: int
    name: str
    desa_total: int
    ppk_kinds: set[Kind] = field(default_factory=set)
    pps_reached: int = 0
    pps_kinds: set[Kind] = field(default_factory=set)
    kpps_reached: int = 0

    @property
    def ppk_reached(self) -> bool:
        return bool(self.ppk_kinds)

    @property
    def state(self) -> str:
        """ "full": PPK and every PPS; "partial": something; "none": nothing."""
        if self.ppk_reached and self.pps_reached >= self.desa_total:
            return "full"
        if self.ppk_reached or self.pps_reached or self.kpps_reached:
            return "partial"
        return "none"


@dataclass(frozen=True)
class Coverage:
    kecamatan: list[KecamatanCoverage]

    @property
    def ppk_reached(self) -> int:
        return sum(1 for k in self.kecamatan if k.ppk_reached)

    @property
    def pps_reached(self) -> int:
        return sum(k.pps_reached for k in self.kecamatan)

    @property
    def desa_total(self) -> int:
        return sum(k.desa_total for k in self.kecamatan)

    @property
    def uncovered(self) -> list[KecamatanCoverage]:
        return [k for k in self.kecamatan if k.state == "none"]


def regency_coverage(regency_id: int) -> Coverage:
    """Per kecamatan: the kinds of activity that reached its PPK, how many of
    its desa (PPS) were reached and by which kinds, and its KPPS reached."""
    rows = (
        db.session.execute(
            select(Kecamatan.id, Kecamatan.name, func.count(Desa.id))
            .outerjoin(Desa, Desa.kecamatan_id == Kecamatan.id)
            .where(Kecamatan.regency_id == regency_id)
            .group_by(Kecamatan.id, Kecamatan.name)
            .order_by(Kecamatan.name)
        )
        .tuples()
        .all()
    )
    found = {i: KecamatanCoverage(i, name, total) for i, name, total in rows}
    kinds = (
        db.session.execute(
            select(Body.kecamatan_id, Body.level, Activity.kind)
            .join(Activity, Activity.id == Body.activity_id)
            .where(Body.regency_id == regency_id)
            .distinct()
        )
        .tuples()
        .all()
    )
    for kecamatan_id, level, kind in kinds:
        target = found[kecamatan_id]
        if level is BodyLevel.PPK:
            target.ppk_kinds.add(kind)
        elif level is BodyLevel.PPS:
            target.pps_kinds.add(kind)
    reached = (
        db.session.execute(
            select(
                Body.kecamatan_id,
                Body.level,
                func.count(distinct(func.coalesce(Body.tps_id, Body.desa_id))),
            )
            .where(Body.regency_id == regency_id, Body.level != BodyLevel.PPK)
            .group_by(Body.kecamatan_id, Body.level)
        )
        .tuples()
        .all()
    )
    for kecamatan_id, level, number in reached:
        if level is BodyLevel.PPS:
            found[kecamatan_id].pps_reached = number
        else:
            found[kecamatan_id].kpps_reached = number
    return Coverage(list(found.values()))


@dataclass(frozen=True)
class DesaCoverage:
    id: int
    name: str
    kinds: set[Kind]
    kpps_reached: int


def desa_coverage(regency_id: int, kecamatan_id: int) -> list[DesaCoverage]:
    """The desa of one kecamatan, with the kinds that reached their PPS."""
    desa = (
        db.session.execute(
            select(Desa.id, Desa.kind, Desa.name)
            .where(Desa.regency_id == regency_id, Desa.kecamatan_id == kecamatan_id)
            .order_by(Desa.name)
        )
        .tuples()
        .all()
    )
    kinds: dict[int, set[Kind]] = defaultdict(set)
    kpps: dict[int, set[int]] = defaultdict(set)
    reached = (
        db.session.execute(
            select(Body.desa_id, Body.level, Body.tps_id, Activity.kind)
            .join(Activity, Activity.id == Body.activity_id)
            .where(
                Body.regency_id == regency_id,
                Body.kecamatan_id == kecamatan_id,
                Body.level != BodyLevel.PPK,
            )
        )
        .tuples()
        .all()
    )
    for desa_id, level, tps_id, kind in reached:
        if level is BodyLevel.PPS:
            kinds[desa_id].add(kind)
        else:
            kpps[desa_id].add(tps_id)
    return [
        DesaCoverage(i, f"{kind.capitalize()} {name}", kinds[i], len(kpps[i]))
        for i, kind, name in desa
    ]
