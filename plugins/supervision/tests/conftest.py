"""Fixtures of the supervision tests: "today" is fixed, and moves on demand."""

from datetime import date, timedelta
from typing import Any

import pytest

from plugins.supervision import clock
from plugins.supervision.tests.helpers import TODAY


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Fix "today" at TODAY; ``today.move(days)`` moves it."""

    class Today:
        value = TODAY

        def move(self, days: int) -> date:
            self.value = self.value + timedelta(days=days)
            return self.value

    current = Today()
    monkeypatch.setattr(clock, "today", lambda: current.value)
    return current
