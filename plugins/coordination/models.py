"""Coordination meetings (rapat koordinasi, rakor), at two levels.

A regency's own meeting (``regency_id`` set, level ``kabkota``) invites its
ad hoc bodies (PPK, PPS, KPPS). A province meeting (``regency_id`` NULL,
level ``provinsi``) is held by KPU Provinsi and invites KPU kabupaten/kota:
each invited regency has an :class:`InvitedRegency` row (its confirmation),
its own :class:`Attendee` rows and the :class:`ActionItem` rows addressed to
it, all carrying its ``regency_id``, so a regency only ever reads its own.
Rows that belong to the province meeting itself (agenda, decisions, the
province's own attendees) have no regency."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from phpnet.plugin_api import (
    Desa,
    Document,
    Kecamatan,
    LabelledEnum,
    Regency,
    RegencyOrProvince,
    RegencyScoped,
    TeamMember,
    Tps,
    db,
    enum_column,
    utcnow,
)


class Level(LabelledEnum):
    KABKOTA = "kabkota", "Rakor kabupaten/kota dengan PPK, PPS dan KPPS"
    PROVINSI = "provinsi", "Rakor KPU Provinsi dengan KPU kabupaten/kota"


class MeetingStatus(LabelledEnum):
    SCHEDULED = "terjadwal", "Terjadwal"
    HELD = "terlaksana", "Terlaksana"
    CANCELLED = "batal", "Dibatalkan"


class Body(LabelledEnum):
    PPK = "ppk", "PPK"
    PPS = "pps", "PPS"
    KPPS = "kpps", "KPPS"


class ActionStatus(LabelledEnum):
    OPEN = "belum", "Belum dikerjakan"
    IN_PROGRESS = "proses", "Sedang dikerjakan"
    DONE = "selesai", "Selesai"


# The positions the province usually asks each office to send (rakor of March 2024).
STANDARD_POSITIONS = (
    "Divisi Hukum dan Pengawasan",
    "Divisi Teknis Penyelenggaraan",
    "Kasubbag Hukum dan SDM",
    "Kasubbag Teknis Penyelenggaraan Pemilu, Partisipasi dan Hubungan Masyarakat",
)


class Meeting(RegencyOrProvince, db.Model):
    __tablename__ = "coordination_meeting"
    __table_args__ = (
        # A regency's list (and the province's, regency_id NULL) in date order.
        Index("ix_coordination_meeting_list", "regency_id", "held_on"),
        Index("ix_coordination_meeting_level", "level", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    regency_id: Mapped[int | None] = mapped_column(ForeignKey("regency.id"))
    level: Mapped[Level] = enum_column(Level)
    title: Mapped[str] = mapped_column(String(300))
    held_on: Mapped[date]
    # "HH:MM" local time (WIB), as on the invitation letter; text, so the audit
    # log records it like every other column.
    starts_at: Mapped[str] = mapped_column(String(5))
    ends_at: Mapped[str | None] = mapped_column(String(5))
    venue: Mapped[str] = mapped_column(String(300))
    status: Mapped[MeetingStatus] = enum_column(MeetingStatus, default=MeetingStatus.SCHEDULED)
    invitation_number: Mapped[str | None] = mapped_column(String(120))
    invitation_date: Mapped[date | None]
    invitation_document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    expected_positions: Mapped[str | None] = mapped_column(Text)  # one per line
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    regency: Mapped[Regency | None] = relationship()
    invitation_document: Mapped[Document | None] = relationship()
    agenda: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def positions(self) -> list[str]:
        return [line for line in (self.expected_positions or "").splitlines() if line.strip()]


class AgendaItem(RegencyOrProvince, db.Model):
    """One item of the agenda, in order, with its minutes (notulen)."""

    __tablename__ = "coordination_agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("coordination_meeting.id", ondelete="CASCADE"), index=True
    )
    regency_id: Mapped[int | None] = mapped_column(ForeignKey("regency.id"))  # the meeting's
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")

    __mapper_args__ = {"version_id_col": version}


class InvitedBody(RegencyScoped, db.Model):
    """An ad hoc body invited to a regency meeting: the PPK, PPS or KPPS of a
    place picked in the region tree; no place means all of them in the
    regency (or in the kecamatan, for PPS and KPPS)."""

    __tablename__ = "coordination_invited_body"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("coordination_meeting.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[Body] = enum_column(Body)
    kecamatan_id: Mapped[int | None] = mapped_column(ForeignKey("kecamatan.id"))
    desa_id: Mapped[int | None] = mapped_column(ForeignKey("desa.id"))
    tps_id: Mapped[int | None] = mapped_column(ForeignKey("tps.id"))

    kecamatan: Mapped[Kecamatan | None] = relationship()
    desa: Mapped[Desa | None] = relationship()
    tps: Mapped[Tps | None] = relationship()

    @property
    def label(self) -> str:
        if self.tps is not None and self.desa is not None:
            return f"KPPS {self.tps.label} {self.desa.name}"
        if self.desa is not None:
            return f"{self.body.label} {self.desa.kind.capitalize()} {self.desa.name}"
        if self.kecamatan is not None:
            scope = "" if self.body is Body.PPK else f"Semua {self.body.label} "
            return f"{scope or 'PPK '}Kecamatan {self.kecamatan.name}"
        return f"Semua {self.body.label}"


class InvitedRegency(RegencyScoped, db.Model):
    """A KPU kabupaten/kota invited to a province meeting, and its confirmation."""

    __tablename__ = "coordination_invited_regency"
    __table_args__ = (
        UniqueConstraint("meeting_id", "regency_id", name="uq_coordination_invited_regency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("coordination_meeting.id", ondelete="CASCADE")
    )
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    regency: Mapped[Regency] = relationship()


class Attendee(RegencyOrProvince, db.Model):
    """A person expected at or present in a meeting. For a province meeting
    the invited regency names its own (``regency_id``); the province's own
    staff have no regency. ``present`` is None until attendance is taken."""

    __tablename__ = "coordination_attendee"
    __table_args__ = (Index("ix_coordination_attendee_meeting", "meeting_id", "regency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("coordination_meeting.id", ondelete="CASCADE")
    )
    regency_id: Mapped[int | None] = mapped_column(ForeignKey("regency.id"))
    name: Mapped[str] = mapped_column(String(200))
    office: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200))
    present: Mapped[bool | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Decision(RegencyOrProvince, db.Model):
    """What the meeting agreed, optionally under one agenda item."""

    __tablename__ = "coordination_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("coordination_meeting.id", ondelete="CASCADE"), index=True
    )
    regency_id: Mapped[int | None] = mapped_column(ForeignKey("regency.id"))  # the meeting's
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("coordination_agenda_item.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agenda_item: Mapped[AgendaItem | None] = relationship()
    actions: Mapped[list["ActionItem"]] = relationship(
        back_populates="decision", order_by="ActionItem.id", cascade="all, delete-orphan"
    )


class ActionItem(RegencyScoped, db.Model):
    """A follow-up of a decision, owned by a team member of the regency
    (regency meetings) or by a regency (province meetings: ``regency_id`` is
    the regency it is addressed to). Done means a completion date and an
    evidence document."""

    __tablename__ = "coordination_action_item"
    __table_args__ = (
        Index("ix_coordination_action_item_open", "regency_id", "status", "due_on"),
        Index("ix_coordination_action_item_decision", "decision_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("coordination_decision.id", ondelete="CASCADE")
    )
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("coordination_meeting.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(String(500))
    owner_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_member.id", ondelete="SET NULL")
    )
    due_on: Mapped[date]
    status: Mapped[ActionStatus] = enum_column(ActionStatus, default=ActionStatus.OPEN)
    completed_on: Mapped[date | None]
    evidence_document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    completion_note: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    decision: Mapped[Decision] = relationship(back_populates="actions")
    meeting: Mapped[Meeting] = relationship()
    regency: Mapped[Regency] = relationship()
    owner_member: Mapped[TeamMember | None] = relationship()
    evidence_document: Mapped[Document | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def is_overdue(self, today: date) -> bool:
        return self.status is not ActionStatus.DONE and self.due_on < today
