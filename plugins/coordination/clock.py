"""Today's date in Jawa Timur. Overdue action items, the next meeting and the
readiness checks all ask here, so a test can fix "today" by monkeypatching
``today`` (callers look it up at call time: ``clock.today()``)."""

from datetime import date, datetime

from phpnet.timeutil import WIB


def today() -> date:
    return datetime.now(WIB).date()
