"""Time helpers: everything is stored in UTC and shown in WIB (Asia/Jakarta)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def utcnow() -> datetime:
    """The current time as a naive UTC datetime, the form stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def as_wib(moment: datetime | None) -> datetime | None:
    """A stored naive-UTC datetime converted to WIB for display."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(WIB)
