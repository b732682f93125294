"""Working days as Indonesian offices count them: Monday to Friday, except
national holidays (public holidays and the government's collective leave
days, from the ``holidays`` library) and the collective leave days the
province adds itself, for years the library does not know yet."""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import holidays

SATURDAY = 5


def national_holidays(years: Iterable[int]) -> dict[date, str]:
    """Public holidays and collective leave days (cuti bersama) of Indonesia."""
    found = holidays.Indonesia(
        years=sorted(set(years)), categories=("public", "government"), language="id"
    )
    return dict(found.items())


class WorkingCalendar:
    """Days off: weekends, ``days_off`` (national holidays and the province's
    collective leave days, by date) and nothing else."""

    def __init__(self, days_off: Mapping[date, str]) -> None:
        self.days_off = dict(days_off)

    @classmethod
    def for_years(cls, years: Iterable[int], leave_days: Mapping[date, str]) -> "WorkingCalendar":
        return cls({**national_holidays(years), **leave_days})

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < SATURDAY and day not in self.days_off

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself is
        not counted: "3 hari kerja sejak penetapan" ends on the third working
        day after it); 0 gives ``start``."""
        step = 1 if count >= 0 else -1
        day, remaining = start, abs(count)
        while remaining:
            day += timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_until(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative
        when ``end`` is earlier, counting the days since it)."""
        if end < start:
            return -self.working_days_until(end, start)
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=offset))
        )
