"""What changed: the audit log's data changes across the regencies, newest
first, without the noise of logins and sessions. Filterable by regency,
object type and dates (WIB), paginated; filter values that make no sense are
ignored and named, never an error."""

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from phpnet.audit.labels import action_label, object_label
from phpnet.audit.models import AuditEntry
from phpnet.extensions import db
from phpnet.regions.models import Regency
from phpnet.timeutil import WIB

PAGE_SIZE = 25
NOT_CHANGES_ACTIONS = ("login", "logout", "login_failed")
NOT_CHANGES_OBJECTS = ("user_session", "login_attempt")
SHOWN_FIELDS = 4  # changed columns named per entry; the audit log has the rest


@dataclass(frozen=True)
class Change:
    entry: AuditEntry
    regency: Regency | None

    @property
    def action_label(self) -> str:
        return action_label(self.entry.action)

    @property
    def object_label(self) -> str:
        return object_label(self.entry.object_type)

    @property
    def fields(self) -> list[str]:
        """The names of the changed columns (a creation names none)."""
        if self.entry.action != "update" or not isinstance(self.entry.after, dict):
            return []
        return [str(key) for key in self.entry.after][:SHOWN_FIELDS]


@dataclass(frozen=True)
class ChangeFilters:
    regency: Regency | None = None
    object_type: str = ""
    start: date | None = None
    end: date | None = None

    def args(self) -> dict[str, str]:
        found = {
            "kabkota": self.regency.slug if self.regency else "",
            "objek": self.object_type,
            "dari": self.start.isoformat() if self.start else "",
            "sampai": self.end.isoformat() if self.end else "",
        }
        return {key: value for key, value in found.items() if value}


@dataclass(frozen=True)
class ChangePage:
    changes: list[Change]
    number: int
    count: int
    total: int


def data_changes() -> Select:
    return select(AuditEntry).where(
        AuditEntry.action.not_in(NOT_CHANGES_ACTIONS),
        AuditEntry.object_type.not_in(NOT_CHANGES_OBJECTS),
    )


def object_types() -> list[str]:
    """The object types that occur in the log (read from its index)."""
    found = db.session.execute(
        select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)
    ).scalars()
    return [name for name in found if name not in NOT_CHANGES_OBJECTS]


def _wib_midnight_in_utc(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=WIB).astimezone(UTC).replace(tzinfo=None)


def filtered(filters: ChangeFilters) -> Select:
    query = data_changes()
    if filters.regency is not None:
        query = query.where(AuditEntry.regency_id == filters.regency.id)
    if filters.object_type:
        query = query.where(AuditEntry.object_type == filters.object_type)
    if filters.start:
        query = query.where(AuditEntry.at >= _wib_midnight_in_utc(filters.start))
    if filters.end:
        query = query.where(AuditEntry.at < _wib_midnight_in_utc(filters.end + timedelta(days=1)))
    return query


def changes(query: Select, limit: int, offset: int = 0) -> list[Change]:
    # Newest first by id: the log is append-only, so ids follow time, and the
    # primary key gives the newest rows without sorting the whole log.
    rows = db.session.execute(
        query.add_columns(Regency)
        .outerjoin(Regency, Regency.id == AuditEntry.regency_id)
        .order_by(AuditEntry.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [Change(entry, regency) for entry, regency in rows]


def page(filters: ChangeFilters, number: int) -> ChangePage:
    query = filtered(filters)
    total = db.session.execute(
        select(func.count()).select_from(query.order_by(None).subquery())
    ).scalar_one()
    count = max(1, math.ceil(total / PAGE_SIZE))
    number = min(max(number, 1), count)
    return ChangePage(changes(query, PAGE_SIZE, (number - 1) * PAGE_SIZE), number, count, total)


def latest(limit: int, regency: Regency | None = None) -> list[Change]:
    return changes(filtered(ChangeFilters(regency=regency)), limit)


def page_numbers(current: int, count: int) -> list[Any]:
    """The first, the last and two around the current page; None is a gap."""
    shown = sorted({1, count, *range(max(1, current - 2), min(count, current + 2) + 1)})
    numbers: list[int | None] = []
    previous = 0
    for value in shown:
        if value - previous > 1:
            numbers.append(None)
        numbers.append(value)
        previous = value
    return numbers
