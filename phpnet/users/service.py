"""Account changes shared by the admin pages and ``phpnet users``.

Each function changes the session's objects and leaves the commit to the
caller, so the change and its audit entries land in one transaction."""

from phpnet.auth import sessions
from phpnet.auth.models import Role, User
from phpnet.auth.passwords import generate_password, hash_password
from phpnet.extensions import db
from phpnet.regions.models import Regency
from phpnet.timeutil import utcnow


def create_account(
    username: str,
    full_name: str,
    role: Role,
    regency: Regency | None,
    password: str | None = None,
) -> tuple[User, str]:
    """A new account and its password. Without ``password`` a random one is
    issued that must be changed at first login (ASVS 6.4.1)."""
    issued = password is None
    password = generate_password() if password is None else password
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        regency_id=regency.id if regency else None,
        password_hash=hash_password(password),
        must_change_password=issued,
        password_changed_at=utcnow(),
    )
    db.session.add(user)
    return user, password


def update_account(user: User, full_name: str, role: Role, regency: Regency | None) -> None:
    """A changed role or regency applies at once: the user's sessions end, so
    no open browser keeps rights the account no longer has."""
    regency_id = regency.id if regency else None
    rights_change = role != user.role or regency_id != user.regency_id
    user.full_name = full_name
    user.role = role
    user.regency_id = regency_id
    if rights_change:
        sessions.revoke_all(user)


def set_active(user: User, active: bool) -> None:
    user.is_active = active
    if not active:
        sessions.revoke_all(user)


def set_password(user: User, password: str, *, must_change: bool) -> None:
    """A new password; every session of the account ends."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.must_change_password = must_change
    sessions.revoke_all(user)


def issue_new_password(user: User) -> str:
    """Reset: a random password to hand over once, to be changed at first login."""
    password = generate_password()
    set_password(user, password, must_change=True)
    return password
