"""The ad hoc bodies of a regency as places: PPK = a kecamatan, PPS = a desa,
KPPS = a TPS. Choices for the cascading selects, checks that a chosen place
lies where it claims (always inside the current regency), names for display,
and how many bodies a session's targets cover."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from phpnet.extensions import db
from phpnet.regions.models import Desa, Kecamatan, Tps
from plugins.bimtek.models import MEMBERS_PER_BODY, Level, Participant, Target

Choices = list[tuple[str, str]]


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


def level_choices(placeholder: str = "— pilih tingkat —") -> Choices:
    return [("", placeholder), *((level.value, level.label) for level in Level)]


def kecamatan_choices(regency_id: int) -> Choices:
    """Every kecamatan of the regency with its number of desa and TPS."""
    desa = dict(
        db.session.execute(
            select(Desa.kecamatan_id, func.count())
            .where(Desa.regency_id == regency_id)
            .group_by(Desa.kecamatan_id)
        ).all()
    )
    tps = dict(
        db.session.execute(
            select(Tps.kecamatan_id, func.count())
            .where(Tps.regency_id == regency_id)
            .group_by(Tps.kecamatan_id)
        ).all()
    )
    rows = db.session.execute(
        select(Kecamatan.id, Kecamatan.name)
        .where(Kecamatan.regency_id == regency_id)
        .order_by(Kecamatan.name)
    )
    return [("", "— pilih kecamatan —")] + [
        (str(k_id), f"{name} ({desa.get(k_id, 0)} desa/kel., {tps.get(k_id, 0)} TPS)")
        for k_id, name in rows
    ]


def desa_choices(regency_id: int, kecamatan_id: int | None, placeholder: str) -> Choices:
    """The desa of one kecamatan of the regency, each with its number of TPS."""
    if kecamatan_id is None:
        return [("", placeholder)]
    rows = db.session.execute(
        select(Desa.id, Desa.kind, Desa.name, func.count(Tps.id))
        .outerjoin(Tps, Tps.desa_id == Desa.id)
        .where(Desa.regency_id == regency_id, Desa.kecamatan_id == kecamatan_id)
        .group_by(Desa.id, Desa.kind, Desa.name)
        .order_by(Desa.name)
    )
    return [("", placeholder)] + [
        (str(d_id), f"{kind.capitalize()} {name} ({tps} TPS)") for d_id, kind, name, tps in rows
    ]


def tps_choices(regency_id: int, desa_id: int | None, placeholder: str) -> Choices:
    if desa_id is None:
        return [("", placeholder)]
    rows = db.session.execute(
        select(Tps.id, Tps.number)
        .where(Tps.regency_id == regency_id, Tps.desa_id == desa_id)
        .order_by(Tps.number)
    )
    return [("", placeholder)] + [(str(t_id), f"TPS {number:03d}") for t_id, number in rows]


def locate(
    regency_id: int, kecamatan_id: int | None, desa_id: int | None, tps_id: int | None
) -> dict[str, str]:
    """Problems with a chosen kecamatan, desa and TPS, by field name: each
    must exist in the regency and lie inside the one above it."""
    problems: dict[str, str] = {}
    if kecamatan_id is not None:
        found = db.session.execute(
            select(Kecamatan.id).filter_by(id=kecamatan_id, regency_id=regency_id)
        ).scalar_one_or_none()
        if found is None:
            problems["kecamatan"] = "Kecamatan tidak ada di kabupaten/kota ini."
    if desa_id is not None:
        parent = db.session.execute(
            select(Desa.kecamatan_id).filter_by(id=desa_id, regency_id=regency_id)
        ).scalar_one_or_none()
        if parent is None or parent != kecamatan_id:
            problems["desa"] = "Desa/kelurahan tidak ada di kecamatan yang dipilih."
    if tps_id is not None:
        parent = db.session.execute(
            select(Tps.desa_id).filter_by(id=tps_id, regency_id=regency_id)
        ).scalar_one_or_none()
        if parent is None or parent != desa_id:
            problems["tps"] = "TPS tidak ada di desa/kelurahan yang dipilih."
    return problems


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
