"""The audit log: one append-only row per change. The database refuses UPDATE
and DELETE on it (triggers in the migration), so not even the app can rewrite it."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from phpnet.extensions import db
from phpnet.tenancy import RegencyScoped
from phpnet.timeutil import utcnow


class AuditEntry(RegencyScoped, db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_regency_at", "regency_id", "at"),
        Index("ix_audit_log_object", "object_type", "object_id"),  # one object's history
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor: Mapped[str] = mapped_column(String(64))  # username then, or "sistem" for the CLI
    # None for the province's own entries, which no regency page reads.
    regency_id: Mapped[int | None] = mapped_column(ForeignKey("regency.id"))
    action: Mapped[str] = mapped_column(String(32))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ip_address: Mapped[str | None] = mapped_column(String(64))
