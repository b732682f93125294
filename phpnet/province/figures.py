"""The province's charts: the figures plugins contribute, and activities per
week (the sum of every plugin's ``WeeklyActivity``, one series per kind)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from phpnet.contrib import Figure, Series, WeeklyActivity
from phpnet.province.contributions import call_per_plugin
from phpnet.regions.models import Regency
from phpnet.templating import MONTHS

WEEKS = 12


def plugin_figures(regencies: Sequence[Regency]) -> list[Figure]:
    """Every figure of every plugin, about the regencies where it is enabled."""
    return [
        figure
        for _plugin, figure in call_per_plugin("phpnet_province_figures", regencies)
        if isinstance(figure, Figure)
    ]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def recent_weeks(today: date, count: int = WEEKS) -> list[date]:
    """The Mondays of the last ``count`` weeks, this week last."""
    this_week = monday(today)
    return [this_week - timedelta(weeks=back) for back in range(count - 1, -1, -1)]


def week_label(start: date) -> str:
    return f"{start.day} {MONTHS[start.month - 1][:3]}"


@dataclass(frozen=True)
class Activity:
    """Activities per week, summed over regencies: counts[kind][week index]."""

    weeks: list[date]
    kinds: list[str]
    counts: dict[str, list[int]]

    @property
    def total(self) -> int:
        return sum(sum(values) for values in self.counts.values())

    def figure(self) -> Figure:
        return Figure(
            "kegiatan-mingguan",
            f"Kegiatan per minggu ({len(self.weeks)} minggu terakhir)",
            [f"Minggu {week_label(w)}" for w in self.weeks],
            [Series(kind, self.counts[kind]) for kind in self.kinds],
            unit=" kegiatan",
        )


def weekly_activity(regencies: Sequence[Regency], today: date) -> Activity:
    weeks = recent_weeks(today)
    position = {week: index for index, week in enumerate(weeks)}
    wanted = {r.id for r in regencies}
    counts: dict[str, list[int]] = {}
    found = call_per_plugin("phpnet_weekly_activity", regencies, start=weeks[0], end=today)
    for _plugin, activity in found:
        if not isinstance(activity, WeeklyActivity):
            continue
        row = counts.setdefault(activity.label, [0] * len(weeks))
        for (regency_id, week), number in activity.counts.items():
            if regency_id in wanted and monday(week) in position:
                row[position[monday(week)]] += int(number)
    return Activity(weeks, sorted(counts), counts)
