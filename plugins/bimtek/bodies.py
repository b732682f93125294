"""The ad hoc bodies of a regency as places: PPK = a kecamatan, PPS = a desa,
KPPS = a TPS. Whether one place covers another, names for display, and how
many bodies a session's targets cover. (The places are chosen with core's
place picker, which keeps every choice inside the current regency.)"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from phpnet.plugin_api import Desa, Kecamatan, Tps, db
from plugins.bimtek.models import MEMBERS_PER_BODY, Level, Participant, Target


@dataclass(frozen=True)
class Place:
    """Where a body is (or, for a target, the area whose bodies are meant):
    a kecamatan, optionally narrowed to a desa and a TPS of it."""

    level: Level
    kecamatan_id: int
    desa_id: int | None = None
    tps_id: int | None = None

    def covers(self, other: "Place") -> bool:
        """Whether every body of ``other`` is one of the bodies of this place."""
        return (
            self.level is other.level
            and self.kecamatan_id == other.kecamatan_id
            and (self.desa_id is None or self.desa_id == other.desa_id)
            and (self.tps_id is None or self.tps_id == other.tps_id)
        )


def place_of(row: Target | Participant) -> Place:
    return Place(row.level, row.kecamatan_id, row.desa_id, row.tps_id)


@dataclass(frozen=True)
class PlaceNames:
    """Names of kecamatan, desa and TPS, fetched in one query per kind."""

    kecamatan: dict[int, str]
    desa: dict[int, str]
    tps: dict[int, str]

    def label(self, place: Place) -> str:
        """PPK Kec. Kepanjen; PPS Desa Talangagung (Kec. Kepanjen); KPPS TPS 003 ..."""
        kecamatan = f"Kec. {self.kecamatan.get(place.kecamatan_id, '?')}"
        if place.tps_id is not None:
            where = f"{self.tps.get(place.tps_id, 'TPS ?')} {self.desa.get(place.desa_id or 0, '')}"
            return f"{place.level.label} {where}, {kecamatan}"
        if place.desa_id is not None:
            return f"{place.level.label} {self.desa.get(place.desa_id, '?')}, {kecamatan}"
        return f"{place.level.label} {kecamatan}"

    def area(self, place: Place) -> str:
        """The place without the body: Kec. Kepanjen / Desa X, Kec. Y / TPS 003 Desa X."""
        parts = [f"Kec. {self.kecamatan.get(place.kecamatan_id, '?')}"]
        if place.desa_id is not None:
            parts.insert(0, self.desa.get(place.desa_id, "?"))
        if place.tps_id is not None:
            parts.insert(0, self.tps.get(place.tps_id, "?"))
        return ", ".join(parts)


def place_names(places: Iterable[Place]) -> PlaceNames:
    places = list(places)
    kecamatan_ids = {p.kecamatan_id for p in places}
    desa_ids = {p.desa_id for p in places if p.desa_id is not None}
    tps_ids = {p.tps_id for p in places if p.tps_id is not None}
    kecamatan = desa = tps = {}
    if kecamatan_ids:
        kecamatan = dict(
            db.session.execute(
                select(Kecamatan.id, Kecamatan.name).where(Kecamatan.id.in_(kecamatan_ids))
            ).all()
        )
    if desa_ids:
        rows = db.session.execute(
            select(Desa.id, Desa.kind, Desa.name).where(Desa.id.in_(desa_ids))
        )
        desa = {d_id: f"{kind.capitalize()} {name}" for d_id, kind, name in rows}
    if tps_ids:
        rows = db.session.execute(select(Tps.id, Tps.number).where(Tps.id.in_(tps_ids)))
        tps = {t_id: f"TPS {number:03d}" for t_id, number in rows}
    return PlaceNames(kecamatan, desa, tps)


@dataclass(frozen=True)
class TargetLine:
    target: Target
    label: str
    bodies: int  # how many bodies of its level the target covers


@dataclass(frozen=True)
class TargetSummary:
    lines: list[TargetLine]
    bodies: dict[Level, int]

    @property
    def expected_people(self) -> int:
        """Members of every target body: the invitation list to expect."""
        return sum(MEMBERS_PER_BODY[level] * number for level, number in self.bodies.items())


def summarise_targets(targets: Sequence[Target]) -> TargetSummary:
    """Each target with the number of bodies it covers (grouped queries:
    desa per kecamatan, TPS per desa and per kecamatan, names)."""
    places = [place_of(t) for t in targets]
    names = place_names(places)
    whole_kecamatan = {p.kecamatan_id for p in places if p.desa_id is None}
    whole_desa = {p.desa_id for p in places if p.desa_id is not None and p.tps_id is None}
    desa_per_kecamatan = tps_per_kecamatan = tps_per_desa = {}
    if whole_kecamatan:
        desa_per_kecamatan = _count_by(Desa.kecamatan_id, whole_kecamatan)
        tps_per_kecamatan = _count_by(Tps.kecamatan_id, whole_kecamatan)
    if whole_desa:
        tps_per_desa = _count_by(Tps.desa_id, whole_desa)
    lines = []
    bodies = dict.fromkeys(Level, 0)
    for target, place in zip(targets, places, strict=True):
        if place.level is Level.PPK or place.tps_id is not None:
            number = 1
        elif place.level is Level.PPS:
            number = 1 if place.desa_id else desa_per_kecamatan.get(place.kecamatan_id, 0)
        elif place.desa_id is not None:
            number = tps_per_desa.get(place.desa_id, 0)
        else:
            number = tps_per_kecamatan.get(place.kecamatan_id, 0)
        bodies[place.level] += number
        lines.append(TargetLine(target, _target_label(place, names), number))
    return TargetSummary(lines, bodies)


def _target_label(place: Place, names: PlaceNames) -> str:
    if place.level is Level.PPS and place.desa_id is None:
        return f"PPS semua desa/kelurahan di Kec. {names.kecamatan.get(place.kecamatan_id, '?')}"
    if place.level is Level.KPPS and place.tps_id is None:
        area = names.area(place)
        return f"KPPS semua TPS di {area}"
    return names.label(place)


def _count_by(column: object, ids: set[int]) -> dict[int, int]:
    return dict(
        db.session.execute(
            select(column, func.count()).where(column.in_(ids)).group_by(column)  # type: ignore[attr-defined]
        ).all()
    )
