"""Per-regency enablement of plugins, stored as data (a row per regency and
plugin). A regency without a row for a plugin has the plugin's default; the
row's settings survive disabling and enabling again."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from phpnet.extensions import db
from phpnet.tenancy import RegencyScoped
from phpnet.timeutil import utcnow


class RegencyPlugin(RegencyScoped, db.Model):
    __tablename__ = "regency_plugin"
    __table_args__ = (UniqueConstraint("regency_id", "plugin_name", name="uq_regency_plugin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    regency_id: Mapped[int] = mapped_column(
        ForeignKey("regency.id", ondelete="CASCADE"), index=True
    )
    plugin_name: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(default=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
