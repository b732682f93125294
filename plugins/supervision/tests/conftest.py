"""Fixtures of the supervision tests: "today" is fixed, and moves on demand."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from plugins.supervision.tests.helpers import TODAY


class Today:
    """The day every module of phpnet takes for today (``move_clock``)."""

    def __init__(self, move_clock: Callable[[date], None]) -> None:
        self._move_clock = move_clock
        self.value = TODAY
        move_clock(TODAY)

    def move(self, days: int) -> date:
        self.value = self.value + timedelta(days=days)
        self._move_clock(self.value)
        return self.value


@pytest.fixture
def today(move_clock: Callable[[date], None]) -> Today:
    """Fix "today" at TODAY; ``today.move(days)`` moves it."""
    return Today(move_clock)
