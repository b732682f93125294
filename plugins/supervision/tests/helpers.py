"""Objects made directly with the ORM for the supervision tests (the forms
are tested on their own)."""

from datetime import date
from typing import Any

from sqlalchemy import select

from phpnet.plugin_api import (
    Desa,
    Kecamatan,
    OfficeUnit,
    Position,
    Regency,
    Team,
    TeamMember,
    Tps,
    db,
)
from plugins.supervision.models import (
    Activity,
    ActivityMember,
    Body,
    BodyLevel,
    Finding,
    FollowUp,
    FollowUpStatus,
    Kind,
    Severity,
)

TODAY = date(2024, 3, 11)  # a Monday
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def team(regency: Regency, *names: str) -> list[TeamMember]:
    decree = Team(
        regency_id=regency.id, sk_number="1/2024", sk_date=date(2024, 1, 2), signed_by="Ketua"
    )
    positions = [Position.KETUA] + [Position.ANGGOTA] * (len(names) - 1)
    members = [
        TeamMember(
            regency_id=regency.id,
            team=decree,
            name=name,
            position=position,
            unit=OfficeUnit.DIVISI_HUKUM,
        )
        for name, position in zip(names, positions, strict=True)
    ]
    db.session.add_all(members)
    db.session.flush()
    return members


def world_kecamatan(regency: Regency) -> Kecamatan:
    """The kecamatan of the world's first desa with TPS."""
    tps = db.session.execute(
        select(Tps).filter_by(regency_id=regency.id).order_by(Tps.desa_id, Tps.number).limit(1)
    ).scalar_one()
    return db.session.get(Kecamatan, tps.kecamatan_id)


def desa_of(kecamatan: Kecamatan, count: int = 2) -> list[Desa]:
    return list(
        db.session.execute(
            select(Desa).filter_by(kecamatan_id=kecamatan.id).order_by(Desa.code).limit(count)
        ).scalars()
    )


def tps_of(desa: Desa) -> list[Tps]:
    return list(
        db.session.execute(select(Tps).filter_by(desa_id=desa.id).order_by(Tps.number)).scalars()
    )


def activity(
    regency: Regency,
    kecamatan: Kecamatan | None = None,
    *,
    kind: Kind = Kind.SUPERVISI,
    started_on: date = TODAY,
    pps: list[Desa] | None = None,
    ppk: bool = True,
    members: list[TeamMember] | None = None,
    **values: Any,
) -> Activity:
    """An activity at the PPK of ``kecamatan`` (and at the PPS of ``pps``)."""
    kecamatan = kecamatan or world_kecamatan(regency)
    made = Activity(
        regency_id=regency.id, kind=kind, started_on=started_on,
        ended_on=values.pop("ended_on", started_on),
        purpose=values.pop("purpose", "Supervisi rekap"), **values,
    )  # fmt: skip
    if ppk:
        made.bodies.append(
            Body(regency_id=regency.id, level=BodyLevel.PPK, kecamatan_id=kecamatan.id)
        )
    for desa in pps or []:
        made.bodies.append(
            Body(
                regency_id=regency.id,
                level=BodyLevel.PPS,
                kecamatan_id=kecamatan.id,
                desa_id=desa.id,
            )
        )
    for member in members or []:
        made.members.append(ActivityMember(regency_id=regency.id, team_member_id=member.id))
    db.session.add(made)
    db.session.flush()
    return made


def finding(
    made: Activity, description: str = "Salinan C.Hasil tidak diserahkan", **values: Any
) -> Finding:
    found = Finding(
        regency_id=made.regency_id, description=description,
        severity=values.pop("severity", Severity.SEDANG), **values,
    )  # fmt: skip
    made.findings.append(found)
    db.session.flush()
    return found


def follow_up(
    made: Activity, due_on: date, *, status: FollowUpStatus = FollowUpStatus.OPEN, **values: Any
) -> FollowUp:
    item = FollowUp(
        regency_id=made.regency_id, action=values.pop("action", "Serahkan salinan C.Hasil"),
        due_on=due_on, status=status, **values,
    )  # fmt: skip
    made.follow_ups.append(item)
    db.session.flush()
    return item
