"""Bimbingan teknis (bimtek): sessions for the ad hoc bodies (PPK, PPS, KPPS),
the bodies each one targets, its speakers and materials, and the people who
were invited, came and took the tests.

Every table is named ``bimtek_*`` and belongs to one regency. A session's
``version`` lets an edit notice that someone else saved it first."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from phpnet.plugin_api import (
    Desa,
    Document,
    Kecamatan,
    LabelledEnum,
    RegencyScoped,
    Tps,
    db,
    enum_column,
    utcnow,
)

TITLE_MAX = 200
TOPIC_MAX = 500
VENUE_MAX = 200
LINK_MAX = 300
LETTER_NUMBER_MAX = 100
NAME_MAX = 200
PHONE_MAX = 20
NOTES_MAX = 5000


class Level(LabelledEnum):
    """The ad hoc body a participant belongs to, one per region level."""

    PPK = "ppk", "PPK"
    PPS = "pps", "PPS"
    KPPS = "kpps", "KPPS"


# Members of one body (Pemilu 2024: 3,330 PPK, 25,482 PPS, 844,662 KPPS members
# for 666 kecamatan, 8,494 desa and 120,666 TPS), to estimate who to invite.
MEMBERS_PER_BODY = {Level.PPK: 5, Level.PPS: 3, Level.KPPS: 7}


class Mode(LabelledEnum):
    LURING = "luring", "Tatap muka (luring)"
    DARING = "daring", "Daring (online)"


class SessionStatus(LabelledEnum):
    PLANNED = "direncanakan", "Direncanakan"
    HELD = "terlaksana", "Terlaksana"
    CANCELLED = "dibatalkan", "Dibatalkan"


class Position(LabelledEnum):
    KETUA = "ketua", "Ketua"
    ANGGOTA = "anggota", "Anggota"
    SEKRETARIS = "sekretaris", "Sekretaris"
    STAF = "staf", "Staf Sekretariat"
    LAINNYA = "lainnya", "Lainnya"


class Session(RegencyScoped, db.Model):
    """One bimtek: when and where, for whom, by whom, and how it went."""

    __tablename__ = "bimtek_session"
    __table_args__ = (
        # The list (newest first) with its status filter, and the next session.
        Index("ix_bimtek_session_list", "regency_id", "starts_at"),
        Index("ix_bimtek_session_status", "regency_id", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    topic: Mapped[str] = mapped_column(String(TOPIC_MAX))
    starts_at: Mapped[datetime]  # local time (WIB), as on the invitation
    ends_at: Mapped[datetime | None]  # the same day
    mode: Mapped[Mode] = enum_column(Mode, default=Mode.LURING)
    venue: Mapped[str | None] = mapped_column(String(VENUE_MAX))
    online_link: Mapped[str | None] = mapped_column(String(LINK_MAX))
    expected_participants: Mapped[int | None] = mapped_column(Integer)
    invitation_number: Mapped[str | None] = mapped_column(String(LETTER_NUMBER_MAX))
    invitation_date: Mapped[date | None]
    invitation_document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[SessionStatus] = enum_column(SessionStatus, default=SessionStatus.PLANNED)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    invitation_document: Mapped[Document | None] = relationship()
    targets: Mapped[list["Target"]] = relationship(
        back_populates="session", order_by="Target.id", cascade="all, delete-orphan"
    )
    speakers: Mapped[list["Speaker"]] = relationship(
        back_populates="session", order_by="Speaker.id", cascade="all, delete-orphan"
    )
    materials: Mapped[list["Material"]] = relationship(
        back_populates="session", order_by="Material.id", cascade="all, delete-orphan"
    )
    participants: Mapped[list["Participant"]] = relationship(
        back_populates="session", order_by="Participant.id", cascade="all, delete-orphan"
    )

    @property
    def held_on(self) -> date:
        return self.starts_at.date()


class Target(RegencyScoped, db.Model):
    """Bodies a session is for: the PPK of a kecamatan; the PPS of one desa
    or of every desa of a kecamatan; the KPPS of one TPS, or of every TPS of
    a desa or of a kecamatan."""

    __tablename__ = "bimtek_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("bimtek_session.id"), index=True)
    level: Mapped[Level] = enum_column(Level)
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"))
    desa_id: Mapped[int | None] = mapped_column(ForeignKey("desa.id"))
    tps_id: Mapped[int | None] = mapped_column(ForeignKey("tps.id"))

    session: Mapped[Session] = relationship(back_populates="targets")
    kecamatan: Mapped[Kecamatan] = relationship()
    desa: Mapped[Desa | None] = relationship()
    tps: Mapped[Tps | None] = relationship()


class Speaker(RegencyScoped, db.Model):
    """A narasumber: a member of the dispute team, or someone from outside.
    The name is kept even if the team member is later removed."""

    __tablename__ = "bimtek_speaker"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("bimtek_session.id"), index=True)
    team_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_member.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    institution: Mapped[str | None] = mapped_column(String(NAME_MAX))

    session: Mapped[Session] = relationship(back_populates="speakers")


class Material(RegencyScoped, db.Model):
    """A document handed out or presented at the session."""

    __tablename__ = "bimtek_material"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("bimtek_session.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))

    session: Mapped[Session] = relationship(back_populates="materials")
    document: Mapped[Document] = relationship()


class Participant(RegencyScoped, db.Model):
    """Someone invited to a session, from the body they serve in."""

    __tablename__ = "bimtek_participant"
    __table_args__ = (
        # Who of a regency attended, per level and place: coverage and checks.
        Index("ix_bimtek_participant_reach", "regency_id", "attended", "level", "kecamatan_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("bimtek_session.id"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    level: Mapped[Level] = enum_column(Level)
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"))
    desa_id: Mapped[int | None] = mapped_column(ForeignKey("desa.id"))
    tps_id: Mapped[int | None] = mapped_column(ForeignKey("tps.id"))
    position: Mapped[Position] = enum_column(Position, default=Position.ANGGOTA)
    phone: Mapped[str | None] = mapped_column(String(PHONE_MAX))
    attended: Mapped[bool] = mapped_column(default=False)
    pre_score: Mapped[int | None] = mapped_column(Integer)
    post_score: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[Session] = relationship(back_populates="participants")
    kecamatan: Mapped[Kecamatan] = relationship()
    desa: Mapped[Desa | None] = relationship()
    tps: Mapped[Tps | None] = relationship()
