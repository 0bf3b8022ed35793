"""Working days and period arithmetic.

Which days are working days, in order of authority:
1. the admin-edited calendar table (overrides and extends the package —
   the next year's State Council schedule is published each November);
2. the ``chinesecalendar`` package (2004–2026), which knows the
   holidays and the weekend days that become working days (调休);
3. Monday–Friday, with a warning naming the year, because a deadline
   computed that way may be wrong by the holidays it does not know.

Counting (《市场监督管理行政处罚程序规定》 on periods; Administrative
Penalty Law art. 85): the day a period starts from is not counted; a period
in calendar days whose last day is not a working day ends on the next
working day.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar

FALLBACK_WARNING = "calendar for {year} not loaded"


@dataclass
class WorkingCalendar:
    overrides: Mapping[date, bool] = field(default_factory=dict)
    # Years whose every day the overrides table defines, so the package's
    # silence about them does not matter.
    loaded_years: frozenset[int] = frozenset()
    warnings: set[str] = field(default_factory=set)

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year not in self.loaded_years:
            try:
                return chinese_calendar.is_workday(day)
            except NotImplementedError:
                self.warnings.add(FALLBACK_WARNING.format(year=day.year))
        return day.weekday() < 5

    def covers(self, day: date) -> bool:
        """Whether an official source (table or package) knows this year."""
        if day.year in self.loaded_years:
            return True
        try:
            chinese_calendar.is_workday(day)
        except NotImplementedError:
            return False
        return True

    # --- periods ---------------------------------------------------------
    def add_working_days(self, start: date, days: int) -> date:
        """The last day of a period of `days` working days after `start`."""
        if days < 0:
            raise ValueError("a period cannot be negative")
        current, remaining = start, days
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def add_calendar_days(self, start: date, days: int) -> date:
        if days < 0:
            raise ValueError("a period cannot be negative")
        return self.roll_forward(start + timedelta(days=days))

    def add_months(self, start: date, months: int) -> date:
        month_index = start.month - 1 + months
        year, month = start.year + month_index // 12, month_index % 12 + 1
        day = min(start.day, _calendar.monthrange(year, month)[1])
        return self.roll_forward(date(year, month, day))

    def roll_forward(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative when
        `end` is before `start`): the "days left" of a deadline."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for offset in range(1, (end - start).days + 1) if self.is_working_day(start + timedelta(days=offset)))


def add_period(cal: WorkingCalendar, start: date, amount: int, unit: str) -> date:
    if unit == "working_days":
        return cal.add_working_days(start, amount)
    if unit == "days":
        return cal.add_calendar_days(start, amount)
    if unit == "months":
        return cal.add_months(start, amount)
    raise ValueError(f"unknown period unit {unit!r}")


def due_date(
    cal: WorkingCalendar,
    start: date,
    amount: int,
    unit: str,
    stopped: Iterable[tuple[date, date | None]] = (),
) -> date | None:
    """The last day of a period, skipping the days the clock was stopped.

    A stop runs from the day the clock stopped up to, not including, the day
    it restarted. While a stop is open the due date is unknown: None.
    """
    spans = sorted(stopped)
    if any(restarted is None for _, restarted in spans):
        return None
    if not spans:
        return add_period(cal, start, amount, unit)

    def is_stopped(day: date) -> bool:
        return any(begin <= day < end for begin, end in spans)

    if unit == "months":
        # A month period stretches by the calendar days it was stopped.
        base = cal.add_months(start, amount)
        lost = sum((end - begin).days for begin, end in spans if begin <= base)
        return cal.add_calendar_days(base, lost) if lost else base
    if amount < 0:
        raise ValueError("a period cannot be negative")
    current, remaining = start, amount
    while remaining:
        current += timedelta(days=1)
        if is_stopped(current):
            continue
        if unit == "days" or (unit == "working_days" and cal.is_working_day(current)):
            remaining -= 1
        elif unit not in ("days", "working_days"):
            raise ValueError(f"unknown period unit {unit!r}")
    return cal.roll_forward(current) if unit == "days" else current
