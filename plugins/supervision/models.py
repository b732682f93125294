"""Activities toward the ad hoc bodies (PPK, PPS, KPPS): advocacy,
supervision, oversight, assistance and facilitation, with the bodies visited,
the team members who went, what was found, the follow-ups requested and the
documents that prove it.

Every table is named ``supervision_*`` and belongs to one regency. A finding
may point to a record of another plugin (a DIM entry) only by
``(link_plugin, link_record_id, link_label)``: never a foreign key, so the
plugins never import each other."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from phpnet.plugin_api import (
    Desa,
    Document,
    Kecamatan,
    LabelledEnum,
    RegencyScoped,
    TeamMember,
    Tps,
    db,
    enum_column,
    utcnow,
)


class Kind(LabelledEnum):
    ADVOKASI = "advokasi", "Advokasi"
    SUPERVISI = "supervisi", "Supervisi"
    PENGAWASAN = "pengawasan", "Pengawasan"
    PENDAMPINGAN = "pendampingan", "Pendampingan"
    FASILITASI = "fasilitasi", "Fasilitasi"


class BodyLevel(LabelledEnum):
    """Which ad hoc body was visited: the PPK of a kecamatan, the PPS of a
    desa/kelurahan or the KPPS of a TPS."""

    PPK = "ppk", "PPK (kecamatan)"
    PPS = "pps", "PPS (desa/kelurahan)"
    KPPS = "kpps", "KPPS (TPS)"


class Severity(LabelledEnum):
    RENDAH = "rendah", "Rendah"
    SEDANG = "sedang", "Sedang"
    TINGGI = "tinggi", "Tinggi"


class FollowUpStatus(LabelledEnum):
    OPEN = "terbuka", "Terbuka"
    DONE = "selesai", "Selesai"


class DocumentKind(LabelledEnum):
    SURAT = "surat", "Surat (tugas, undangan)"
    BERITA_ACARA = "berita_acara", "Berita acara / notulen"
    FOTO = "foto", "Foto"
    PERNYATAAN = "pernyataan", "Surat pernyataan"
    LAINNYA = "lainnya", "Lainnya"


class FollowUpState(LabelledEnum):
    """A follow-up's state on a given day: overdue is open past its due date."""

    OPEN = "terbuka", "Terbuka"
    OVERDUE = "terlambat", "Terlambat"
    DONE = "selesai", "Selesai"


class Activity(RegencyScoped, db.Model):
    __tablename__ = "supervision_activity"
    __table_args__ = (
        # The list's order and its kind and date filters.
        Index("ix_supervision_activity_list", "regency_id", "started_on", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[Kind] = enum_column(Kind)
    started_on: Mapped[date]
    ended_on: Mapped[date]
    purpose: Mapped[str] = mapped_column(Text)
    recommendations: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    bodies: Mapped[list["Body"]] = relationship(
        back_populates="activity", order_by="Body.id", cascade="all, delete-orphan"
    )
    members: Mapped[list["ActivityMember"]] = relationship(
        back_populates="activity", order_by="ActivityMember.id", cascade="all, delete-orphan"
    )
    findings: Mapped[list["Finding"]] = relationship(
        back_populates="activity", order_by="Finding.id", cascade="all, delete-orphan"
    )
    follow_ups: Mapped[list["FollowUp"]] = relationship(
        back_populates="activity", order_by="FollowUp.id", cascade="all, delete-orphan"
    )
    documents: Mapped[list["ActivityDocument"]] = relationship(
        back_populates="activity", order_by="ActivityDocument.id", cascade="all, delete-orphan"
    )

    # Every UPDATE says "WHERE version = <the version loaded>": a save that
    # finds another version was overtaken by someone else's (StaleDataError).
    __mapper_args__ = {"version_id_col": version}


class Body(RegencyScoped, db.Model):
    """One ad hoc body visited or assisted during an activity. Every coarser
    place is stored too (a KPPS names its desa and kecamatan), so coverage
    per kecamatan needs no join through the regions."""

    __tablename__ = "supervision_body"
    __table_args__ = (
        # Coverage: bodies of a level per kecamatan (and desa) of a regency.
        Index("ix_supervision_body_coverage", "regency_id", "level", "kecamatan_id", "desa_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_activity.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[BodyLevel] = enum_column(BodyLevel)
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"))
    desa_id: Mapped[int | None] = mapped_column(ForeignKey("desa.id"))
    tps_id: Mapped[int | None] = mapped_column(ForeignKey("tps.id"))

    activity: Mapped[Activity] = relationship(back_populates="bodies")
    kecamatan: Mapped[Kecamatan] = relationship()
    desa: Mapped[Desa | None] = relationship()
    tps: Mapped[Tps | None] = relationship()

    @property
    def label(self) -> str:
        if self.level is BodyLevel.PPK:
            return f"PPK Kecamatan {self.kecamatan.name}"
        assert self.desa is not None
        if self.level is BodyLevel.PPS:
            return (
                f"PPS {self.desa.kind.capitalize()} {self.desa.name} (Kec. {self.kecamatan.name})"
            )
        assert self.tps is not None
        return f"KPPS {self.tps.label} {self.desa.kind.capitalize()} {self.desa.name}"


class ActivityMember(RegencyScoped, db.Model):
    """A member of the dispute team who went."""

    __tablename__ = "supervision_member"
    __table_args__ = (Index("ix_supervision_member_person", "team_member_id", "regency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_activity.id", ondelete="CASCADE"), index=True
    )
    team_member_id: Mapped[int] = mapped_column(ForeignKey("team_member.id", ondelete="CASCADE"))

    activity: Mapped[Activity] = relationship(back_populates="members")
    team_member: Mapped[TeamMember] = relationship()


class Finding(RegencyScoped, db.Model):
    __tablename__ = "supervision_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_activity.id", ondelete="CASCADE"), index=True
    )
    body_id: Mapped[int | None] = mapped_column(
        ForeignKey("supervision_body.id", ondelete="SET NULL")
    )
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[Severity] = enum_column(Severity)
    # A record of another plugin about the same place (e.g. a DIM entry).
    link_plugin: Mapped[str | None] = mapped_column(String(64))
    link_record_id: Mapped[int | None]
    link_label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    activity: Mapped[Activity] = relationship(back_populates="findings")
    body: Mapped[Body | None] = relationship()


class FollowUp(RegencyScoped, db.Model):
    """What the office asked to be done, by whom and by when; done with a
    date and an evidence document."""

    __tablename__ = "supervision_follow_up"
    __table_args__ = (
        # Open follow-ups by due date (overdue lists, the card, readiness).
        Index("ix_supervision_follow_up_due", "regency_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_activity.id", ondelete="CASCADE"), index=True
    )
    finding_id: Mapped[int | None] = mapped_column(
        ForeignKey("supervision_finding.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(500))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_member.id", ondelete="SET NULL"), index=True
    )
    due_on: Mapped[date]
    status: Mapped[FollowUpStatus] = enum_column(FollowUpStatus, default=FollowUpStatus.OPEN)
    done_on: Mapped[date | None]
    done_note: Mapped[str | None] = mapped_column(String(500))
    evidence_document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    activity: Mapped[Activity] = relationship(back_populates="follow_ups")
    finding: Mapped[Finding | None] = relationship()
    owner: Mapped[TeamMember | None] = relationship()
    evidence_document: Mapped[Document | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def state_on(self, today: date) -> FollowUpState:
        if self.status is FollowUpStatus.DONE:
            return FollowUpState.DONE
        return FollowUpState.OVERDUE if self.due_on < today else FollowUpState.OPEN


class ActivityDocument(RegencyScoped, db.Model):
    """A letter, minutes, photo or statement of an activity."""

    __tablename__ = "supervision_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("supervision_activity.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    kind: Mapped[DocumentKind] = enum_column(DocumentKind)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    activity: Mapped[Activity] = relationship(back_populates="documents")
    document: Mapped[Document] = relationship()
