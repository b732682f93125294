"""The problem inventory (DIM): entries, their categories and their evidence.

Every table is named ``inventory_*`` and belongs to one regency. Entries are
never deleted: ``deleted_at`` hides them until the operator restores them, and
``version`` lets an edit detect that someone else saved the entry first."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from phpnet.plugin_api import (
    Desa,
    Document,
    Kecamatan,
    LabelledEnum,
    RegencyOrProvince,
    RegencyScoped,
    TeamMember,
    Tps,
    db,
    enum_column,
    utcnow,
)


class Level(LabelledEnum):
    KABKOTA = "kabkota", "Kabupaten/Kota (KPU)"
    KECAMATAN = "kecamatan", "Kecamatan (PPK)"
    DESA = "desa", "Desa/Kelurahan (PPS)"
    TPS = "tps", "TPS (KPPS)"


class Race(LabelledEnum):
    PPWP = "ppwp", "PPWP (Presiden dan Wakil Presiden)"
    DPR = "dpr", "DPR"
    DPD = "dpd", "DPD"
    DPRD_PROVINSI = "dprd_provinsi", "DPRD Provinsi"
    DPRD_KABKOTA = "dprd_kabkota", "DPRD Kabupaten/Kota"
    GUBERNUR = "gubernur", "Pilkada Gubernur"
    BUPATI = "bupati", "Pilkada Bupati"
    WALIKOTA = "walikota", "Pilkada Walikota"


class Stage(LabelledEnum):
    PEMUNGUTAN = "pemungutan", "Pemungutan suara"
    PENGHITUNGAN = "penghitungan", "Penghitungan suara"
    REKAP_KECAMATAN = "rekap_kecamatan", "Rekapitulasi kecamatan"
    REKAP_KABKOTA = "rekap_kabkota", "Rekapitulasi kabupaten/kota"


class RecordForm(LabelledEnum):
    NONE = "tidak_ada", "Tidak dicatat dalam formulir"
    C_KEJADIAN_KHUSUS = "c_kejadian_khusus", "C.Kejadian Khusus dan/atau Keberatan"
    D_KEJADIAN_KHUSUS = "d_kejadian_khusus", "D.Kejadian Khusus dan/atau Keberatan"


class FollowUp(LabelledEnum):
    NONE = "tidak_ada", "Tidak ada tindak lanjut"
    PLENARY_CORRECTION = "koreksi_pleno", "Pembetulan dalam rapat pleno"
    PSU = "psu", "Pemungutan suara ulang (PSU)"
    RECOUNT = "penghitungan_ulang", "Penghitungan suara ulang"
    OTHER = "lainnya", "Lainnya"


class Status(LabelledEnum):
    OPEN = "belum", "Belum ditindaklanjuti"
    RESOLVED = "selesai", "Selesai"
    DISPUTE_LIKELY = "berpotensi_sengketa", "Berpotensi sengketa"


class EvidenceType(LabelledEnum):
    C_HASIL = "c_hasil", "C.Hasil"
    C_HASIL_SALINAN = "c_hasil_salinan", "C.Hasil Salinan"
    C_KEJADIAN_KHUSUS = "c_kejadian_khusus", "C.Kejadian Khusus"
    D_HASIL = "d_hasil", "D.Hasil"
    D_KEJADIAN_KHUSUS = "d_kejadian_khusus", "D.Kejadian Khusus"
    BERITA_ACARA = "berita_acara", "Berita Acara"
    FOTO = "foto", "Foto"
    LAINNYA = "lainnya", "Lainnya"


class Category(RegencyOrProvince, db.Model):
    """A problem category. Rows without a regency are the seeded list every
    regency sees; an operator adds rows of their own regency."""

    __tablename__ = "inventory_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    regency_id: Mapped[int | None] = mapped_column(ForeignKey("regency.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    stage: Mapped[Stage | None] = enum_column(Stage)
    is_active: Mapped[bool] = mapped_column(default=True)


class Entry(RegencyScoped, db.Model):
    __tablename__ = "inventory_entry"
    __table_args__ = (
        # The list's order with its most used filters: a page's ids come from
        # the index alone, at any offset.
        Index(
            "ix_inventory_entry_list", "regency_id", "deleted_at", "occurred_at", "status", "stage"
        ),
        # Counts by stage and status, of one regency or of the whole province.
        Index("ix_inventory_entry_counts", "deleted_at", "regency_id", "status", "stage"),
        # Team members in charge of a live entry (the list's person filter).
        Index("ix_inventory_entry_person", "person_in_charge_id", "regency_id", "deleted_at"),
        # Entries without follow-up per regency: the province's readiness matrix.
        Index("ix_inventory_entry_follow_up", "follow_up", "regency_id", "deleted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[Level] = enum_column(Level)
    kecamatan_id: Mapped[int | None] = mapped_column(ForeignKey("kecamatan.id"), index=True)
    desa_id: Mapped[int | None] = mapped_column(ForeignKey("desa.id"), index=True)
    tps_id: Mapped[int | None] = mapped_column(ForeignKey("tps.id"), index=True)
    race: Mapped[Race] = enum_column(Race)
    dapil: Mapped[str | None] = mapped_column(String(100))
    stage: Mapped[Stage] = enum_column(Stage)
    category_id: Mapped[int] = mapped_column(ForeignKey("inventory_category.id"), index=True)
    occurred_at: Mapped[datetime]  # local time (WIB), as written on the forms
    description: Mapped[str] = mapped_column(Text)
    objector: Mapped[str | None] = mapped_column(String(200))
    record_form: Mapped[RecordForm] = enum_column(RecordForm, default=RecordForm.NONE)
    record_form_number: Mapped[str | None] = mapped_column(String(100))
    bawaslu_letter_number: Mapped[str | None] = mapped_column(String(100))
    bawaslu_letter_date: Mapped[date | None]
    bawaslu_content: Mapped[str | None] = mapped_column(Text)
    follow_up: Mapped[FollowUp] = enum_column(FollowUp, default=FollowUp.NONE)
    follow_up_detail: Mapped[str | None] = mapped_column(String(500))
    follow_up_date: Mapped[date | None]
    status: Mapped[Status] = enum_column(Status, default=Status.OPEN)
    vote_difference: Mapped[int | None] = mapped_column(Integer)
    person_in_charge_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_member.id", ondelete="SET NULL")
    )
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    category: Mapped[Category] = relationship()
    kecamatan: Mapped[Kecamatan | None] = relationship()
    desa: Mapped[Desa | None] = relationship()
    tps: Mapped[Tps | None] = relationship()
    person_in_charge: Mapped[TeamMember | None] = relationship()
    evidence: Mapped[list["Evidence"]] = relationship(
        back_populates="entry", order_by="Evidence.id", cascade="all, delete-orphan"
    )


class Evidence(RegencyScoped, db.Model):
    """A document proving an entry, tagged with the form it is."""

    __tablename__ = "inventory_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("inventory_entry.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    evidence_type: Mapped[EvidenceType] = enum_column(EvidenceType)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    entry: Mapped[Entry] = relationship(back_populates="evidence")
    document: Mapped[Document] = relationship()
