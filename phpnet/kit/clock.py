"""What day and time it is in Jawa Timur (WIB), asked by every deadline,
overdue mark and default date. Tests move it with ``phpnet.testing.move_clock``
(one place, whatever module asks)."""

from datetime import UTC, date, datetime

from phpnet.timeutil import WIB


def _now() -> datetime:
    return datetime.now(UTC)


def now_wib() -> datetime:
    """The current moment in WIB, timezone-aware."""
    return _now().astimezone(WIB)


def today_wib() -> date:
    """Today's date in WIB."""
    return now_wib().date()
