"""Server-side login sessions on top of Flask-Login.

The cookie names a :class:`UserSession` by a random token (only its hash is
stored). Logout, a password change and disabling an account revoke sessions in
the database, so a copied cookie stops working at once (security.md F3).
The idle timeout is kept in the signed session cookie, which avoids a database
write on every page view; the absolute timeout is enforced server-side."""

import hashlib
import secrets
import time

from flask import current_app, request, session
from sqlalchemy import bindparam, update

from phpnet.auth.models import User, UserSession
from phpnet.extensions import db
from phpnet.timeutil import utcnow

LAST_SEEN_KEY = "seen"
# The idle clock is refreshed at most this often: each refresh re-signs and
# resends the session cookie. A clock that lags the last page view by up to a
# minute ends an idle session that much earlier, never later.
SEEN_REFRESH_SECONDS = 60
# The user of a live session, built once: the statement's cache key is then
# computed once per worker instead of on every page view.
_LIVE_SESSION_USER = (
    db.select(User)
    .join(UserSession, UserSession.user_id == User.id)
    .where(
        UserSession.token_hash == bindparam("token_hash"),
        UserSession.revoked_at.is_(None),
        UserSession.expires_at > bindparam("now"),
        User.is_active.is_(True),
    )
)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    """Open a session for ``user`` and return its token (for the cookie)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        UserSession(
            token_hash=_digest(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + current_app.config["SESSION_ABSOLUTE_TIMEOUT"],
            ip_address=request.remote_addr if request else None,
        )
    )
    user.session_token = token
    return token


def load_user(token: str) -> User | None:
    """Flask-Login's user loader: the active user of a live session, or None."""
    if not _still_fresh():
        return None
    user = db.session.execute(
        _LIVE_SESSION_USER, {"token_hash": _digest(token), "now": utcnow()}
    ).scalar_one_or_none()
    if user is None:
        return None
    user.session_token = token
    mark_seen()
    return user


def _still_fresh() -> bool:
    seen = session.get(LAST_SEEN_KEY)
    if not isinstance(seen, int | float):
        return False
    idle_seconds = time.time() - seen
    return idle_seconds <= current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()


def revoke(token: str) -> None:
    db.session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _digest(token), UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_all(user: User) -> None:
    """End every session of ``user`` (password change, disabling, reset)."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def mark_seen() -> None:
    now = time.time()
    seen = session.get(LAST_SEEN_KEY)
    if not isinstance(seen, int | float) or not 0 <= now - seen < SEEN_REFRESH_SECONDS:
        session[LAST_SEEN_KEY] = now
