"""Tim Penyelesaian PHP: the dispute team of a regency, fixed by decree (SK).
A newer decree supersedes the older team, which stays as history."""

import enum
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from phpnet.documents.models import Document
from phpnet.extensions import db
from phpnet.kit.enums import enum_column
from phpnet.tenancy import RegencyScoped
from phpnet.timeutil import utcnow


class Position(enum.StrEnum):
    PENGARAH = "pengarah"
    PENANGGUNG_JAWAB = "penanggung_jawab"
    KETUA = "ketua"
    WAKIL_KETUA = "wakil_ketua"
    SEKRETARIS = "sekretaris"
    ANGGOTA = "anggota"
    STAF_PENDUKUNG = "staf_pendukung"

    @property
    def label(self) -> str:
        return POSITION_LABELS[self]


POSITION_LABELS = {
    Position.PENGARAH: "Pengarah",
    Position.PENANGGUNG_JAWAB: "Penanggung Jawab",
    Position.KETUA: "Ketua",
    Position.WAKIL_KETUA: "Wakil Ketua",
    Position.SEKRETARIS: "Sekretaris",
    Position.ANGGOTA: "Anggota",
    Position.STAF_PENDUKUNG: "Staf Pendukung",
}


class OfficeUnit(enum.StrEnum):
    DIVISI_HUKUM = "divisi_hukum"
    DIVISI_TEKNIS = "divisi_teknis"
    SUBBAG_HUKUM_SDM = "subbag_hukum_sdm"
    SUBBAG_TEKNIS_PARMAS = "subbag_teknis_parmas"
    LAINNYA = "lainnya"

    @property
    def label(self) -> str:
        return UNIT_LABELS[self]


UNIT_LABELS = {
    OfficeUnit.DIVISI_HUKUM: "Divisi Hukum dan Pengawasan",
    OfficeUnit.DIVISI_TEKNIS: "Divisi Teknis Penyelenggaraan",
    OfficeUnit.SUBBAG_HUKUM_SDM: "Subbagian Hukum dan SDM",
    OfficeUnit.SUBBAG_TEKNIS_PARMAS: (
        "Subbagian Teknis Penyelenggaraan Pemilu, Partisipasi dan Hubungan Masyarakat"
    ),
    OfficeUnit.LAINNYA: "Lainnya",
}


class Team(RegencyScoped, db.Model):
    """One decree and the team it appoints."""

    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    sk_number: Mapped[str] = mapped_column(String(120))
    sk_date: Mapped[date]
    signed_by: Mapped[str] = mapped_column(String(200))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document | None] = relationship()
    members: Mapped[list["TeamMember"]] = relationship(
        back_populates="team", order_by="TeamMember.id", cascade="all, delete-orphan"
    )


class TeamMember(RegencyScoped, db.Model):
    __tablename__ = "team_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[Position] = enum_column(Position)
    unit: Mapped[OfficeUnit] = enum_column(OfficeUnit)
    unit_other: Mapped[str | None] = mapped_column(String(200))
    nip: Mapped[str | None] = mapped_column(String(18))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # Optimistic locking (security.md R2): every UPDATE checks and bumps it, so
    # two people editing one member can never silently overwrite each other.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    team: Mapped[Team] = relationship(back_populates="members")

    __mapper_args__ = {"version_id_col": version}

    @property
    def unit_label(self) -> str:
        if self.unit is OfficeUnit.LAINNYA and self.unit_other:
            return self.unit_other
        return self.unit.label


def current_teams(regency_ids: Sequence[int]) -> dict[int, Team]:
    """The team in force of each regency that has one, in one query."""
    newest_first = (
        func.row_number()
        .over(partition_by=Team.regency_id, order_by=(Team.sk_date.desc(), Team.id.desc()))
        .label("rank")
    )
    ranked = db.select(Team.id, newest_first).where(Team.regency_id.in_(regency_ids)).subquery()
    teams = db.session.execute(
        db.select(Team).join(ranked, ranked.c.id == Team.id).where(ranked.c.rank == 1)
    ).scalars()
    return {team.regency_id: team for team in teams}


def current_team(regency_id: int) -> Team | None:
    """The team in force: the newest decree by SK date, then by entry."""
    return db.session.execute(
        db.select(Team)
        .filter_by(regency_id=regency_id)
        .order_by(Team.sk_date.desc(), Team.id.desc())
        .limit(1)
    ).scalar_one_or_none()
