"""Uploaded files. The bytes live under instance/documents with a server-made
name; the row keeps the original name only for display."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from phpnet.extensions import db
from phpnet.tenancy import RegencyOrProvince
from phpnet.timeutil import utcnow


class Document(RegencyOrProvince, db.Model):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for the province's own documents.
    regency_id: Mapped[int | None] = mapped_column(ForeignKey("regency.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
