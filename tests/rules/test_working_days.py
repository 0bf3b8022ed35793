from datetime import date

import pytest

from casehub.rules.working_days import WorkingCalendar, add_period, due_date


@pytest.fixture
def cal():
    return WorkingCalendar()


def test_weekend_make_up_day_is_a_working_day(cal):
    # 2026-02-14 is a Saturday worked in lieu of the Spring Festival.
    assert cal.is_working_day(date(2026, 2, 14))
    assert not cal.is_working_day(date(2026, 2, 16))  # Spring Festival holiday


def test_fifteen_working_days_across_the_spring_festival(cal):
    # Lead received Tue 2026-02-10. Working days after it: 11,12,13,14(Sat, 调休),
    # then the holiday 15–23, then 24,25,26,27,28(Sat, 调休), Mar 2,3,4,5,6,9.
    assert cal.add_working_days(date(2026, 2, 10), 15) == date(2026, 3, 9)
    assert not cal.warnings


def test_working_days_across_national_day(cal):
    # 2026-09-30 (Wed) + 3 working days: Oct 1–7 are holidays, Oct 8, 9, then
    # Sat Oct 10 is a make-up working day.
    assert cal.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)


def test_calendar_days_ending_in_a_holiday_move_to_the_next_working_day(cal):
    # 90 days after 2026-07-03 is 2026-10-01, National Day: the period ends on
    # the first working day after the holiday.
    assert cal.add_calendar_days(date(2026, 7, 3), 90) == date(2026, 10, 8)


def test_year_without_any_source_falls_back_to_weekdays_with_a_warning(cal):
    # 2027 is not in chinesecalendar 1.11: Monday–Friday, and the warning says so.
    assert cal.add_working_days(date(2026, 12, 30), 5) == date(2027, 1, 6)
    assert cal.warnings == {"calendar for 2027 not loaded"}
    assert not cal.covers(date(2027, 1, 4))


def test_admin_table_overrides_and_extends_the_package():
    cal = WorkingCalendar(
        overrides={date(2027, 1, 1): False, date(2026, 12, 31): False},
        loaded_years=frozenset({2027}),
    )
    # 2026-12-31 made a holiday by the table; 2027 fully defined by it, so no warning.
    assert cal.add_working_days(date(2026, 12, 30), 1) == date(2027, 1, 4)
    assert not cal.warnings
    assert cal.covers(date(2027, 6, 1))


def test_months(cal):
    # Clamped to 28 Feb 2026, a Saturday worked in lieu of the Spring Festival.
    assert cal.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert cal.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)  # a Friday
    assert add_period(cal, date(2025, 3, 15), 2, "months") == date(2025, 5, 15)


def test_working_days_between_is_days_left(cal):
    assert cal.working_days_between(date(2026, 2, 10), date(2026, 3, 9)) == 15
    assert cal.working_days_between(date(2026, 3, 9), date(2026, 2, 10)) == -15


class TestClockStops:
    def test_stopped_days_do_not_count(self, cal):
        # 15 working days from Mon 2026-06-01 is 2026-06-22 (Dragon Boat Fri 19th is a holiday).
        plain = due_date(cal, date(2026, 6, 1), 15, "working_days")
        # Clock stopped Mon 8 June, restarted Mon 15 June: five working days lost.
        stopped = due_date(cal, date(2026, 6, 1), 15, "working_days", [(date(2026, 6, 8), date(2026, 6, 15))])
        assert cal.working_days_between(plain, stopped) == 5

    def test_calendar_day_period_stretches_by_stopped_days(self, cal):
        # 90 days after 2 March is Sun 31 May, so the period ends Mon 1 June;
        # ten stopped days move the raw end to Wed 10 June.
        plain = due_date(cal, date(2026, 3, 2), 90, "days")
        stretched = due_date(cal, date(2026, 3, 2), 90, "days", [(date(2026, 4, 1), date(2026, 4, 11))])
        assert plain == date(2026, 6, 1)
        assert stretched == date(2026, 6, 10)

    def test_open_stop_pauses_the_deadline(self, cal):
        assert due_date(cal, date(2026, 3, 2), 90, "days", [(date(2026, 4, 1), None)]) is None

    def test_several_stops_add_up(self, cal):
        spans = [(date(2026, 4, 1), date(2026, 4, 6)), (date(2026, 5, 1), date(2026, 5, 3))]
        assert due_date(cal, date(2026, 3, 2), 90, "days", spans) == date(2026, 6, 8)


def test_negative_periods_are_refused(cal):
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 1, 5), -1)


def test_fast_count_agrees_with_counting_day_by_day():
    """working_days_between uses arithmetic; check it against the plain
    definition over ranges that cross holidays, make-up days, a fully
    defined year, overrides and an uncovered year."""
    import random
    from datetime import timedelta

    cal = WorkingCalendar(
        overrides={date(2026, 5, 4): True, date(2026, 5, 6): False, date(2027, 1, 1): False, date(2025, 10, 11): False},
        loaded_years=frozenset({2025}),
    )
    rng = random.Random(1)
    for _ in range(300):
        start = date(2024, 6, 1) + timedelta(days=rng.randint(0, 1000))
        end = start + timedelta(days=rng.randint(0, 400))
        slow = sum(1 for k in range(1, (end - start).days + 1) if cal.is_working_day(start + timedelta(days=k)))
        assert cal.working_days_between(start, end) == slow, (start, end)
