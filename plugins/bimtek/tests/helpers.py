"""Shared helpers of the bimtek tests: the test world's regions, sessions and
participants made directly in the database. Every helper commits and hands
back plain values (ids), since each request runs in a session of its own."""

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select

from phpnet.plugin_api import Desa, Kecamatan, Regency, Tps, db, dotted_code
from plugins.bimtek.models import Level, Participant, Session, SessionStatus, Target


def regency_of(code: str) -> Regency:
    return db.session.execute(select(Regency).filter_by(code=dotted_code(code))).scalar_one()


@dataclass(frozen=True)
class World:
    """Places of one regency of the test world (3 TPS in each of its first 2 desa)."""

    regency_id: int
    kecamatan_id: int  # the kecamatan holding the desa with TPS
    kecamatan_name: str
    desa_id: int
    desa_name: str  # "Desa X" / "Kelurahan X"
    tps_ids: list[int]
    other_kecamatan_ids: list[int]  # kecamatan without TPS in the world


def world_of(code: str) -> World:
    regency = regency_of(code)
    tps = (
        db.session.execute(
            select(Tps).filter_by(regency_id=regency.id).order_by(Tps.desa_id, Tps.number)
        )
        .scalars()
        .all()
    )
    desa = db.session.get(Desa, tps[0].desa_id)
    kecamatan = db.session.get(Kecamatan, desa.kecamatan_id)
    others = (
        db.session.execute(
            select(Kecamatan.id)
            .where(Kecamatan.regency_id == regency.id, Kecamatan.id != kecamatan.id)
            .order_by(Kecamatan.name)
        )
        .scalars()
        .all()
    )
    found = World(
        regency.id, kecamatan.id, kecamatan.name, desa.id, f"{desa.kind.capitalize()} {desa.name}",
        [t.id for t in tps if t.desa_id == desa.id], list(others),
    )  # fmt: skip
    db.session.commit()
    return found


def make_session(regency_id: int, **values: Any) -> int:
    defaults: dict[str, Any] = {
        "title": "Bimtek penanganan PHPU bagi PPK",
        "topic": "Pencatatan kejadian khusus dan keberatan saksi",
        "starts_at": datetime(2024, 1, 20, 8, 30),
        "venue": "Aula KPU",
        "status": SessionStatus.PLANNED,
    }
    targets = values.pop("targets", [])
    session = Session(regency_id=regency_id, **{**defaults, **values})
    for level, kecamatan_id, desa_id, tps_id in targets:
        session.targets.append(
            Target(regency_id=regency_id, level=level, kecamatan_id=kecamatan_id,
                   desa_id=desa_id, tps_id=tps_id)
        )  # fmt: skip
    db.session.add(session)
    db.session.commit()
    return session.id


def add_people(
    session_id: int, regency_id: int, level: Level, kecamatan_id: int, number: int,
    *, attended: int = 0, desa_id: int | None = None, tps_id: int | None = None,
    name: str = "Peserta",
) -> list[int]:  # fmt: skip
    """``number`` participants of one body, the first ``attended`` of them present."""
    people = [
        Participant(
            regency_id=regency_id,
            session_id=session_id,
            name=f"{name} {i + 1}",
            level=level,
            kecamatan_id=kecamatan_id,
            desa_id=desa_id,
            tps_id=tps_id,
            attended=i < attended,
        )
        for i in range(number)
    ]
    db.session.add_all(people)
    db.session.commit()
    return [p.id for p in people]


def xlsx(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(
        header or ["Nama", "Tingkat", "Kecamatan", "Desa/Kelurahan", "TPS", "Jabatan", "Telepon"]
    )
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def count(model: type) -> int:
    found = db.session.execute(select(db.func.count()).select_from(model)).scalar_one()
    db.session.commit()
    return found
