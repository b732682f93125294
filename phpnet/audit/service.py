"""Writes the audit log in the same transaction as the change it records.

Every ORM change to a model is recorded automatically (an ``after_flush``
listener), so no view and no plugin can forget it. A model opts out with
``__audit__ = False`` and hides columns with ``__audit_exclude__``. Bulk
operations that bypass the ORM call :func:`record` with a summary."""

import enum
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Mapper, Session, object_session

from phpnet.audit.models import AuditEntry
from phpnet.extensions import db
from phpnet.regions.models import Regency
from phpnet.timeutil import utcnow

SYSTEM_ACTOR = "sistem"
DELETED_KEY = "audit_deleted_rows"


def _plain(value: Any) -> Any:
    """A JSON-safe form of a column value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _is_audited(obj: object) -> bool:
    return getattr(obj, "__audit__", True) and not isinstance(obj, AuditEntry)


def _columns(obj: object) -> list[str]:
    hidden = getattr(obj, "__audit_exclude__", frozenset())
    return [c.key for c in inspect(obj).mapper.column_attrs if c.key not in hidden]


def _snapshot(obj: object) -> dict[str, Any]:
    return {key: _plain(getattr(obj, key)) for key in _columns(obj)}


def _changes(obj: object) -> tuple[dict[str, Any], dict[str, Any]]:
    """Before and after values of the columns that changed in this flush."""
    state = inspect(obj)
    before, after = {}, {}
    for key in _columns(obj):
        history = state.attrs[key].history
        if history.has_changes():
            before[key] = _plain(history.deleted[0]) if history.deleted else None
            after[key] = _plain(history.added[0]) if history.added else None
    return before, after


def _actor() -> tuple[int | None, str, str | None]:
    if has_request_context():
        ip = request.remote_addr
        if current_user and current_user.is_authenticated:
            return current_user.id, current_user.username, ip
        who = g.get("audit_actor")
        if who is not None:
            return who.id, who.username, ip
        return None, "anonim", ip
    return None, SYSTEM_ACTOR, None


def _entry(action: str, obj: object, before: Any, after: Any) -> dict[str, Any]:
    user_id, actor, ip = _actor()
    # The identity map key is set only after the flush; the primary key is already there.
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    regency_id = obj.id if isinstance(obj, Regency) else getattr(obj, "regency_id", None)
    return {
        "at": utcnow(),
        "user_id": user_id,
        "actor": actor,
        "regency_id": regency_id,
        "action": action,
        "object_type": obj.__class__.__tablename__,  # type: ignore[attr-defined]
        "object_id": ":".join(str(i) for i in identity) if any(identity) else None,
        "before": before,
        "after": after,
        "ip_address": ip,
    }


def _note_delete(_mapper: Mapper, _connection: Any, obj: object) -> None:
    """Rows deleted in a flush, orphans of a delete-orphan collection included
    (``session.deleted`` holds only the objects deleted explicitly)."""
    session = object_session(obj)
    if session is not None and _is_audited(obj):
        session.info.setdefault(DELETED_KEY, []).append(_entry("delete", obj, _snapshot(obj), None))


def _after_flush(session: Session, _context: Any) -> None:
    rows = [_entry("create", o, None, _snapshot(o)) for o in session.new if _is_audited(o)]
    for obj in session.dirty:
        if _is_audited(obj) and session.is_modified(obj, include_collections=False):
            before, after = _changes(obj)
            if after or before:
                rows.append(_entry("update", obj, before, after))
    rows += session.info.pop(DELETED_KEY, [])
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def record(
    action: str,
    object_type: str,
    *,
    object_id: object = None,
    regency_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Record an event the ORM does not see (a login, a bulk import) in the
    current transaction; it commits or rolls back with the caller's work."""
    user_id, actor, ip = _actor()
    db.session.execute(
        insert(AuditEntry).values(
            at=utcnow(),
            user_id=user_id,
            actor=actor,
            regency_id=regency_id,
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            before=before,
            after=after,
            ip_address=ip,
        )
    )


def install() -> None:
    """Attach the listener to Flask-SQLAlchemy's session class (once per process)."""
    target = db.session.session_factory.class_
    if not event.contains(target, "after_flush", _after_flush):
        event.listen(target, "after_flush", _after_flush)
        event.listen(db.Model, "after_delete", _note_delete, propagate=True)
