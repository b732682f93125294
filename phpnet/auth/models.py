"""Accounts, their server-side sessions and the login attempts used for throttling."""

import enum
from datetime import datetime
from typing import ClassVar

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from phpnet.extensions import db
from phpnet.kit.enums import enum_column
from phpnet.regions.models import Regency
from phpnet.tenancy import RegencyOrProvince
from phpnet.timeutil import utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    PROVINSI = "provinsi"
    OPERATOR = "operator"
    ANGGOTA = "anggota"
    PEMANTAU = "pemantau"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def is_regional(self) -> bool:
        """Regency roles belong to exactly one regency; the others see all 38."""
        return self in REGIONAL_ROLES


ROLE_LABELS = {
    Role.ADMIN: "Administrator sistem",
    Role.PROVINSI: "Staf KPU Provinsi",
    Role.OPERATOR: "Operator KPU Kabupaten/Kota",
    Role.ANGGOTA: "Anggota tim KPU Kabupaten/Kota",
    Role.PEMANTAU: "Pemantau (baca saja)",
}
REGIONAL_ROLES = frozenset({Role.OPERATOR, Role.ANGGOTA, Role.PEMANTAU})


class User(UserMixin, RegencyOrProvince, db.Model):
    __tablename__ = "user_account"
    __audit_exclude__ = frozenset({"password_hash"})
    __table_args__ = (
        CheckConstraint(
            "(role IN ('operator', 'anggota', 'pemantau')) = (regency_id IS NOT NULL)",
            name="regency_matches_role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = enum_column(Role, length=16)
    regency_id: Mapped[int | None] = mapped_column(ForeignKey("regency.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    regency: Mapped[Regency | None] = relationship()

    # Set by the user loader: the session this request runs in. Flask-Login
    # stores get_id() in the cookie, so the cookie names a revocable session.
    session_token: ClassVar[str | None] = None

    def get_id(self) -> str | None:
        return self.session_token

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class UserSession(db.Model):
    """A login. The cookie carries the token; only its hash is stored, and
    logout, password change and disabling revoke it server-side."""

    __tablename__ = "user_session"
    # Logins and logouts are recorded as events; a row per session would only
    # add noise (and token hashes) to the audit log.
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    ip_address: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship()


class LoginAttempt(db.Model):
    __tablename__ = "login_attempt"
    __audit__ = False  # failed logins are recorded as "login_failed" events
    __table_args__ = (
        Index("ix_login_attempt_username_at", "username", "attempted_at"),
        Index("ix_login_attempt_ip_at", "ip_address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    ip_address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    succeeded: Mapped[bool]
