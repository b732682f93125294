"""Working days: weekends, Indonesian national holidays and collective leave
days (from the holidays library) and the province's own leave days are
skipped; deadlines counted from another event follow it."""

from datetime import date

from phpnet.extensions import db
from phpnet.province.models import ElectionEvent, EventKind, LeaveDay
from phpnet.province.schedule import key_dates, upcoming
from phpnet.province.views import countdown_text
from phpnet.province.workdays import WorkingCalendar, national_holidays


def calendar_2024(**extra: str) -> WorkingCalendar:
    return WorkingCalendar.for_years([2024], {date.fromisoformat(d): n for d, n in extra.items()})


def test_national_holidays_include_voting_day_and_collective_leave():
    days = national_holidays([2024])
    assert days[date(2024, 2, 14)] == "Hari Pemilihan Umum"
    assert "Cuti Bersama" in days[date(2024, 4, 9)]  # Idul Fitri
    assert date(2024, 2, 13) not in days


def test_a_deadline_skips_a_holiday_a_leave_day_and_a_weekend():
    calendar = calendar_2024()
    # Wed 7 Feb 2024: Thu 8 Isra Mikraj, Fri 9 cuti bersama Imlek, then the weekend.
    assert calendar.add_working_days(date(2024, 2, 7), 1) == date(2024, 2, 12)
    assert calendar.add_working_days(date(2024, 2, 7), 2) == date(2024, 2, 13)
    # Tue 13 Feb + 1 skips voting day (Wed 14 Feb).
    assert calendar.add_working_days(date(2024, 2, 13), 1) == date(2024, 2, 15)
    assert calendar.working_days_until(date(2024, 2, 7), date(2024, 2, 15)) == 3
    assert calendar.working_days_until(date(2024, 2, 15), date(2024, 2, 7)) == -3


def test_zero_working_days_is_the_start_and_counting_back_works():
    calendar = calendar_2024()
    assert calendar.add_working_days(date(2024, 2, 10), 0) == date(2024, 2, 10)
    assert calendar.add_working_days(date(2024, 2, 12), -1) == date(2024, 2, 7)


def test_the_provinces_own_leave_day_is_skipped():
    plain = calendar_2024()
    with_leave = calendar_2024(**{"2024-12-27": "Cuti bersama tambahan"})
    # Mon 23 Dec: Tue 24 works; 25 Christmas and 26 its leave day are off.
    assert plain.add_working_days(date(2024, 12, 23), 3) == date(2024, 12, 30)
    assert with_leave.add_working_days(date(2024, 12, 23), 3) == date(2024, 12, 31)


def test_key_dates_count_deadlines_from_their_base_and_down_from_today(app):
    determination = ElectionEvent(
        name="Penetapan hasil Pilkada", kind=EventKind.RESULT_DETERMINATION,
        on_date=date(2024, 12, 23),
    )  # fmt: skip
    filing = ElectionEvent(
        name="Batas pengajuan permohonan ke MK", kind=EventKind.MK_FILING,
        base_event=determination, working_days=3,
    )  # fmt: skip
    db.session.add_all([determination, filing])
    db.session.commit()
    found = {k.event.name: k for k in key_dates(on=date(2024, 12, 20))}
    deadline = found["Batas pengajuan permohonan ke MK"]
    assert deadline.day == date(2024, 12, 30)
    assert deadline.days_left == 10
    assert deadline.working_days_left == 4  # 23, 24, 27 and 30 December
    db.session.add(LeaveDay(day=date(2024, 12, 24), name="Cuti bersama Natal tambahan"))
    db.session.commit()
    moved = {k.event.name: k for k in key_dates(on=date(2024, 12, 20))}
    assert moved["Batas pengajuan permohonan ke MK"].day == date(2024, 12, 31)


def test_upcoming_shows_what_is_ahead_and_countdowns_read_well(app):
    db.session.add_all(
        [
            ElectionEvent(name="Pemungutan", kind=EventKind.VOTING_DAY, on_date=date(2024, 11, 27)),
            ElectionEvent(name="Sidang MK", kind=EventKind.MK_SCHEDULE, on_date=date(2025, 1, 8)),
        ]
    )
    db.session.commit()
    dates = key_dates(on=date(2024, 12, 1))
    assert [k.event.name for k in upcoming(dates, 5)] == ["Sidang MK"]
    assert [k.event.name for k in upcoming(key_dates(on=date(2025, 2, 1)), 5)] == [
        "Pemungutan",
        "Sidang MK",
    ]
    assert countdown_text(5, 3) == "H-5 (3 hari kerja lagi)"
    assert countdown_text(0, 0) == "Hari ini"
    assert countdown_text(-4, -2) == "Lewat 4 hari"
