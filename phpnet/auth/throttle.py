"""Login throttling (ASVS 6.3.1): too many failures for one account, or from
one address, within a window answer 429 until the window has passed. There is
no permanent lock-out, which an attacker could use to shut staff out."""

from flask import current_app
from sqlalchemy import func

from phpnet.auth.models import LoginAttempt
from phpnet.extensions import db
from phpnet.timeutil import utcnow


def _failures(column: object, value: str) -> int:
    since = utcnow() - current_app.config["LOGIN_THROTTLE_WINDOW"]
    return db.session.execute(
        db.select(func.count(LoginAttempt.id)).where(
            column == value,  # type: ignore[operator]
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.attempted_at > since,
        )
    ).scalar_one()


def is_throttled(username: str, ip_address: str) -> bool:
    config = current_app.config
    return (
        _failures(LoginAttempt.username, username) >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or _failures(LoginAttempt.ip_address, ip_address) >= config["LOGIN_MAX_FAILURES_PER_IP"]
    )


def note_attempt(username: str, ip_address: str, succeeded: bool) -> None:
    db.session.add(LoginAttempt(username=username, ip_address=ip_address, succeeded=succeeded))
