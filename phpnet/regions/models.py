"""The regions of Jawa Timur: kab/kota, kecamatan (PPK), desa/kelurahan (PPS)
and TPS (KPPS). Kemendagri codes are permanent keys; names are editable."""

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from phpnet.extensions import db
from phpnet.tenancy import RegencyScoped

PROVINCE_CODE = "35"
PROVINCE_NAME = "Jawa Timur"


def url_code(code: str) -> str:
    """The Kemendagri code as used in URLs: without its dots ("35.07" -> "3507")."""
    return code.replace(".", "")


def dotted_code(digits: str) -> str:
    """The dotted Kemendagri code for a URL code ("3507" -> "35.07")."""
    parts = (digits[0:2], digits[2:4], digits[4:6], digits[6:10])
    return ".".join(p for p in parts if p)


class Regency(db.Model):
    """A kabupaten or kota: the tenant of phpnet."""

    __tablename__ = "regency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(5), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))  # "kabupaten" | "kota"
    is_active: Mapped[bool] = mapped_column(default=True)

    @property
    def slug(self) -> str:
        return url_code(self.code)

    @property
    def short_name(self) -> str:
        """The name without "Kabupaten"/"Kota": Malang, Surabaya."""
        return self.name.removeprefix("Kabupaten ").removeprefix("Kota ")

    def __repr__(self) -> str:
        return f"<Regency {self.code} {self.name}>"


class Kecamatan(RegencyScoped, db.Model):
    __tablename__ = "kecamatan"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(120))

    regency: Mapped[Regency] = relationship()

    @property
    def slug(self) -> str:
        return url_code(self.code)


class Desa(RegencyScoped, db.Model):
    __tablename__ = "desa"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(13), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))  # "desa" | "kelurahan"
    postal_code: Mapped[str | None] = mapped_column(String(5))
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"), index=True)

    kecamatan: Mapped[Kecamatan] = relationship()

    @property
    def slug(self) -> str:
        return url_code(self.code)


class Tps(RegencyScoped, db.Model):
    """A polling station. Its kecamatan is stored too, so that counts per
    kecamatan for 120,666 TPS need no join."""

    __tablename__ = "tps"
    __table_args__ = (
        UniqueConstraint("desa_id", "number", name="uq_tps_desa_number"),
        # Counts and sums of voters per regency from the index alone.
        Index("ix_tps_regency_voters", "regency_id", "voter_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    desa_id: Mapped[int] = mapped_column(ForeignKey("desa.id"), index=True)
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    address: Mapped[str | None] = mapped_column(String(255))
    voter_count: Mapped[int | None] = mapped_column(Integer)

    desa: Mapped[Desa] = relationship()

    @property
    def label(self) -> str:
        return f"TPS {self.number:03d}"
