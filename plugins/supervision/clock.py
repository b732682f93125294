"""What day it is in Jawa Timur. Every deadline check asks ``today()`` here,
so tests (and the browser journey) can move "today" by patching this one
function."""

from datetime import date

from phpnet.timeutil import as_wib, utcnow


def today() -> date:
    """The current date in WIB."""
    moment = as_wib(utcnow())
    assert moment is not None
    return moment.date()
