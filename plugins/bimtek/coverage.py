"""How much of a regency's PPK, PPS and KPPS a bimtek reached: per kecamatan,
per regency (for the province), and the bodies of a kecamatan never reached.

A body is reached when at least one of its people attended a session that
was not cancelled. Every function answers with a fixed number of grouped
queries, whatever the number of regencies, kecamatan or participants."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, distinct, func, select

from phpnet.plugin_api import Desa, Kecamatan, Regency, Tps, db
from plugins.bimtek.models import Level, Participant, Session, SessionStatus


def percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def _reached_columns() -> list[Any]:
    """Distinct bodies reached per level: kecamatan (PPK), desa (PPS), TPS (KPPS)."""
    return [
        func.count(distinct(case((Participant.level == Level.PPK, Participant.kecamatan_id)))),
        func.count(distinct(case((Participant.level == Level.PPS, Participant.desa_id)))),
        func.count(distinct(case((Participant.level == Level.KPPS, Participant.tps_id)))),
    ]


def attended_in_live_session() -> list[Any]:
    return [
        Participant.attended.is_(True),
        Session.id == Participant.session_id,
        Session.status != SessionStatus.CANCELLED,
    ]


@dataclass(frozen=True)
class Reach:
    """Bodies of one area (kecamatan or regency) and how many were reached."""

    ppk: int = 0
    pps: int = 0
    kpps: int = 0
    ppk_reached: int = 0
    pps_reached: int = 0
    kpps_reached: int = 0

    def share(self, level: Level) -> float | None:
        total, reached = {
            Level.PPK: (self.ppk, self.ppk_reached),
            Level.PPS: (self.pps, self.pps_reached),
            Level.KPPS: (self.kpps, self.kpps_reached),
        }[level]
        return percent(reached, total)

    def __add__(self, other: "Reach") -> "Reach":
        return Reach(*(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__))


@dataclass(frozen=True)
class KecamatanReach:
    id: int
    name: str
    reach: Reach


def coverage_by_kecamatan(regency_id: int) -> list[KecamatanReach]:
    """Every kecamatan of the regency with its bodies and those reached."""
    kecamatan = db.session.execute(
        select(Kecamatan.id, Kecamatan.name)
        .where(Kecamatan.regency_id == regency_id)
        .order_by(Kecamatan.name)
    ).all()
    desa = grouped_count(Desa.kecamatan_id, Desa.regency_id == regency_id)
    tps = grouped_count(Tps.kecamatan_id, Tps.regency_id == regency_id)
    reached = {
        row[0]: row[1:]
        for row in db.session.execute(
            select(Participant.kecamatan_id, *_reached_columns())
            .where(Participant.regency_id == regency_id, *attended_in_live_session())
            .group_by(Participant.kecamatan_id)
        )
    }
    return [
        KecamatanReach(
            k_id, name, Reach(1, desa.get(k_id, 0), tps.get(k_id, 0), *reached.get(k_id, (0, 0, 0)))
        )
        for k_id, name in kecamatan
    ]


def grouped_count(column: Any, *conditions: Any) -> dict[int, int]:
    return dict(
        db.session.execute(select(column, func.count()).where(*conditions).group_by(column)).all()
    )


def coverage_by_regency(regencies: Sequence[Regency]) -> dict[int, Reach]:
    """Bodies and bodies reached of many regencies: four grouped queries."""
    ids = [r.id for r in regencies]
    ppk = grouped_count(Kecamatan.regency_id, Kecamatan.regency_id.in_(ids))
    pps = grouped_count(Desa.regency_id, Desa.regency_id.in_(ids))
    kpps = grouped_count(Tps.regency_id, Tps.regency_id.in_(ids))
    reached = {
        row[0]: row[1:]
        for row in db.session.execute(
            select(Participant.regency_id, *_reached_columns())
            .where(Participant.regency_id.in_(ids), *attended_in_live_session())
            .group_by(Participant.regency_id)
        )
    }
    return {
        r.id: Reach(
            ppk.get(r.id, 0), pps.get(r.id, 0), kpps.get(r.id, 0), *reached.get(r.id, (0, 0, 0))
        )
        for r in regencies
    }


@dataclass(frozen=True)
class Unreached:
    """The PPS (desa) and KPPS (TPS) of one kecamatan no session reached."""

    kecamatan: KecamatanReach
    ppk_reached: bool
    desa: list[str]
    tps: list[str]


def unreached_in(regency_id: int, kecamatan: KecamatanReach) -> Unreached:
    live = attended_in_live_session()
    in_kecamatan = [
        Participant.regency_id == regency_id,
        Participant.kecamatan_id == kecamatan.id,
        *live,
    ]
    reached_desa = select(Participant.desa_id).where(Participant.level == Level.PPS, *in_kecamatan)
    reached_tps = select(Participant.tps_id).where(Participant.level == Level.KPPS, *in_kecamatan)
    desa = db.session.execute(
        select(Desa.kind, Desa.name)
        .where(Desa.kecamatan_id == kecamatan.id, Desa.id.not_in(reached_desa))
        .order_by(Desa.name)
    ).all()
    tps = db.session.execute(
        select(Desa.kind, Desa.name, Tps.number)
        .join(Desa, Desa.id == Tps.desa_id)
        .where(Tps.kecamatan_id == kecamatan.id, Tps.id.not_in(reached_tps))
        .order_by(Desa.name, Tps.number)
    ).all()
    return Unreached(
        kecamatan,
        kecamatan.reach.ppk_reached > 0,
        [f"{kind.capitalize()} {name}" for kind, name in desa],
        [f"TPS {number:03d} {kind.capitalize()} {name}" for kind, name, number in tps],
    )
