"""The election calendar as the dashboard shows it: every event's date
(its own, or its deadline counted in working days from its base event) and
the countdown to it in days and in working days."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from phpnet.extensions import db
from phpnet.kit.clock import today_wib
from phpnet.province.models import ElectionEvent, LeaveDay
from phpnet.province.workdays import WorkingCalendar

MAX_CHAIN = 20  # deadlines counted from deadlines; deeper is a mistake


@dataclass(frozen=True)
class KeyDate:
    event: ElectionEvent
    day: date | None  # None: its chain of base events is broken
    days_left: int | None
    working_days_left: int | None

    @property
    def is_past(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def leave_days() -> dict[date, str]:
    rows = db.session.execute(select(LeaveDay.day, LeaveDay.name)).tuples().all()
    return dict(rows)


def working_calendar(around: Sequence[date]) -> WorkingCalendar:
    """National holidays of the years around ``around`` (and the next one,
    for deadlines that cross New Year) plus the province's leave days."""
    years = {d.year for d in around} | {y + 1 for y in (d.year for d in around)}
    return WorkingCalendar.for_years(years, leave_days())


def resolve_dates(events: Sequence[ElectionEvent], calendar: WorkingCalendar) -> dict[int, date]:
    """The date of every event whose chain of base events ends in a date."""
    by_id = {event.id: event for event in events}
    resolved: dict[int, date] = {}

    def date_of(event: ElectionEvent, depth: int) -> date | None:
        if event.id in resolved:
            return resolved[event.id]
        if event.on_date is not None:
            found: date | None = event.on_date
        elif depth >= MAX_CHAIN or event.base_event_id not in by_id:
            found = None
        else:
            base = date_of(by_id[event.base_event_id], depth + 1)
            found = None if base is None else calendar.add_working_days(base, event.working_days)
        if found is not None:
            resolved[event.id] = found
        return found

    for event in events:
        date_of(event, 0)
    return resolved


def key_dates(on: date | None = None) -> list[KeyDate]:
    """Every event of the calendar in date order, with its countdown from
    ``on`` (today in WIB)."""
    now = on or today_wib()
    events = list(db.session.execute(select(ElectionEvent).order_by(ElectionEvent.id)).scalars())
    fixed = [e.on_date for e in events if e.on_date is not None]
    calendar = working_calendar([now, *fixed])
    dates = resolve_dates(events, calendar)
    shown = [
        KeyDate(
            event,
            dates.get(event.id),
            (dates[event.id] - now).days if event.id in dates else None,
            calendar.working_days_until(now, dates[event.id]) if event.id in dates else None,
        )
        for event in events
    ]
    return sorted(shown, key=lambda k: (k.day is None, k.day or now, k.event.name))


def upcoming(dates: Sequence[KeyDate], limit: int) -> list[KeyDate]:
    """The next ``limit`` dates from today (the most recent past one first if
    nothing is ahead)."""
    ahead = [k for k in dates if k.day is not None and not k.is_past]
    if ahead:
        return ahead[:limit]
    return [k for k in dates if k.day is not None][-limit:]


def depends_on(event: ElectionEvent, candidate_base_id: int) -> bool:
    """Whether ``candidate_base_id`` is ``event`` or counts from it, so that
    choosing it as the base would make a loop."""
    events = {e.id: e for e in db.session.execute(select(ElectionEvent)).scalars()}
    current = events.get(candidate_base_id)
    for _ in range(MAX_CHAIN + 1):
        if current is None:
            return False
        if current.id == event.id:
            return True
        current = events.get(current.base_event_id) if current.base_event_id else None
    return True
