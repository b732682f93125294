"""Choosing the bodies an activity reached, through the region tree: a
kecamatan, then its PPK, any of its PPS (one per desa/kelurahan) and the KPPS
of the TPS of one desa at a time. htmx loads each level's checkboxes when the
level above changes; without JavaScript a refresh button reloads the form.

Ids come from checkboxes and selects the user can tamper with: every one must
lie in this regency and inside the kecamatan (and desa) chosen, otherwise the
reason is shown next to the chooser."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from phpnet.plugin_api import Desa, Kecamatan, Tps, db, parse_id
from plugins.supervision.models import Activity, Body, BodyLevel

REFRESH = "muat_pilihan"  # the no-JavaScript button that reloads the choices


@dataclass(frozen=True)
class Option:
    id: int
    label: str
    count: int = 0  # desa of a kecamatan, TPS of a desa


@dataclass(frozen=True)
class Place:
    """One body to record: its level and its place, every coarser id given."""

    level: BodyLevel
    kecamatan_id: int
    desa_id: int | None = None
    tps_id: int | None = None


@dataclass
class Choice:
    """What the chooser holds: the ids ticked, and the choices to offer."""

    kecamatan_id: int | None = None
    ppk: bool = False
    desa_ids: set[int] = field(default_factory=set)
    tps_desa_id: int | None = None
    tps_ids: set[int] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.ppk or self.desa_ids or self.tps_ids)


def _id(value: Any) -> int | None:
    try:
        return parse_id(value)
    except ValueError:
        return None


def _ids(values: Iterable[Any]) -> tuple[set[int], bool]:
    """The valid ids of ``values`` and whether some value was no id at all."""
    found = {_id(value) for value in values}
    return {i for i in found if i is not None}, None in found


def read_choice(values: Mapping[str, Any]) -> Choice:
    """The chooser's ids from a request's form (or query) values."""
    getlist = values.getlist  # type: ignore[attr-defined]
    desa_ids, bad_desa = _ids(getlist("desa"))
    tps_ids, bad_tps = _ids(getlist("tps"))
    choice = Choice(
        kecamatan_id=_id(values.get("kecamatan")),
        ppk=values.get("ppk") == "1",
        desa_ids=desa_ids,
        tps_desa_id=_id(values.get("tps_desa")),
        tps_ids=tps_ids,
    )
    if bad_desa or bad_tps or (values.get("kecamatan") and choice.kecamatan_id is None):
        choice.errors.append("Pilihan lembaga tidak dikenal; pilih dari daftar.")
    return choice


def resolve(choice: Choice, regency_id: int) -> list[Place]:
    """The bodies ``choice`` names, checked against the region tree; reasons
    for refusing go to ``choice.errors`` (and nothing is returned)."""
    if choice.errors:
        return []
    if choice.kecamatan_id is None or choice.is_empty:
        choice.errors.append("Pilih kecamatan, lalu sedikitnya satu PPK, PPS atau KPPS.")
        return []
    kecamatan = db.session.get(Kecamatan, choice.kecamatan_id)
    if kecamatan is None or kecamatan.regency_id != regency_id:
        choice.errors.append("Kecamatan ini tidak ada di kabupaten/kota ini.")
        return []
    desa_found = set(
        db.session.execute(
            select(Desa.id).where(Desa.id.in_(choice.desa_ids), Desa.kecamatan_id == kecamatan.id)
        ).scalars()
    )
    tps_found = dict(
        db.session.execute(
            select(Tps.id, Tps.desa_id).where(
                Tps.id.in_(choice.tps_ids), Tps.kecamatan_id == kecamatan.id
            )
        )
        .tuples()
        .all()
    )
    if desa_found != choice.desa_ids or tps_found.keys() != choice.tps_ids:
        choice.errors.append(f"Sebagian pilihan tidak berada di Kecamatan {kecamatan.name}.")
        return []
    places = [Place(BodyLevel.PPK, kecamatan.id)] if choice.ppk else []
    places += [Place(BodyLevel.PPS, kecamatan.id, d) for d in sorted(desa_found)]
    places += [Place(BodyLevel.KPPS, kecamatan.id, tps_found[t], t) for t in sorted(tps_found)]
    return places


def add_bodies(activity: Activity, places: Iterable[Place]) -> int:
    """Add the places the activity does not have yet; how many were new."""
    known = {(b.level, b.kecamatan_id, b.desa_id, b.tps_id) for b in activity.bodies}
    added = 0
    for place in places:
        key = (place.level, place.kecamatan_id, place.desa_id, place.tps_id)
        if key in known:
            continue
        known.add(key)
        activity.bodies.append(
            Body(
                regency_id=activity.regency_id,
                level=place.level,
                kecamatan_id=place.kecamatan_id,
                desa_id=place.desa_id,
                tps_id=place.tps_id,
            )
        )
        added += 1
    return added


# --- What the chooser offers -------------------------------------------------------


def kecamatan_options(regency_id: int) -> list[Option]:
    """The regency's kecamatan, each with its number of desa/kelurahan."""
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
    return [Option(i, name, count) for i, name, count in rows]


def desa_options(regency_id: int, kecamatan_id: int | None) -> list[Option]:
    """The desa/kelurahan of a kecamatan, each with its number of TPS."""
    if kecamatan_id is None:
        return []
    rows = (
        db.session.execute(
            select(Desa.id, Desa.kind, Desa.name, func.count(Tps.id))
            .outerjoin(Tps, Tps.desa_id == Desa.id)
            .where(Desa.regency_id == regency_id, Desa.kecamatan_id == kecamatan_id)
            .group_by(Desa.id, Desa.kind, Desa.name)
            .order_by(Desa.name)
        )
        .tuples()
        .all()
    )
    return [Option(i, f"{kind.capitalize()} {name}", count) for i, kind, name, count in rows]


def tps_options(regency_id: int, desa_id: int | None) -> list[Option]:
    if desa_id is None:
        return []
    rows = (
        db.session.execute(
            select(Tps.id, Tps.number)
            .where(Tps.regency_id == regency_id, Tps.desa_id == desa_id)
            .order_by(Tps.number)
        )
        .tuples()
        .all()
    )
    return [Option(i, f"TPS {number:03d}") for i, number in rows]


def kecamatan_name(regency_id: int, kecamatan_id: int | None) -> str | None:
    if kecamatan_id is None:
        return None
    return db.session.execute(
        select(Kecamatan.name).where(
            Kecamatan.id == kecamatan_id, Kecamatan.regency_id == regency_id
        )
    ).scalar_one_or_none()


def chooser(regency_id: int, choice: Choice) -> dict[str, Any]:
    """The template context of the chooser (``_body_chooser.html``)."""
    return {
        "choice": choice,
        "kecamatan_options": kecamatan_options(regency_id),
        "kecamatan_name": kecamatan_name(regency_id, choice.kecamatan_id),
        "desa_options": desa_options(regency_id, choice.kecamatan_id),
        # Scoped to the regency; resolve() checks that ticked TPS lie in the kecamatan.
        "tps_options": tps_options(regency_id, choice.tps_desa_id),
        "tps_desa_id": choice.tps_desa_id,
        "refresh_name": REFRESH,
    }


def counts(bodies: Iterable[Body]) -> dict[BodyLevel, int]:
    """How many bodies of each level."""
    found = dict.fromkeys(BodyLevel, 0)
    for body in bodies:
        found[body.level] += 1
    return found
