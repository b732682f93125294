"""What changed: the audit log's data changes across the regencies, newest
first, without the noise of logins and sessions. Filterable by regency,
object type and dates (WIB), paginated; filter values that make no sense are
ignored and named, never an error."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, select

from phpnet.audit.labels import action_label, object_label
from phpnet.audit.models import AuditEntry
from phpnet.extensions import db
from phpnet.kit.pages import Page, paginate
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


def _with_regency(query: Select) -> Select:
    # Newest first by id: the log is append-only, so ids follow time, and the
    # primary key gives the newest rows without sorting the whole log.
    return (
        query.add_columns(Regency)
        .outerjoin(Regency, Regency.id == AuditEntry.regency_id)
        .order_by(AuditEntry.id.desc())
    )


def page(filters: ChangeFilters, number: int) -> Page:
    found = paginate(_with_regency(filtered(filters)), number, PAGE_SIZE)
    return replace(found, items=[Change(entry, regency) for entry, regency in found.items])


def latest(limit: int, regency: Regency | None = None) -> list[Change]:
    rows = db.session.execute(_with_regency(filtered(ChangeFilters(regency=regency))).limit(limit))
    return [Change(entry, regency) for entry, regency in rows]
