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

import bisect
import calendar as _calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import chinese_calendar.constants as _package

FALLBACK_WARNING = "calendar for {year} not loaded"


@cache
def _package_index():
    """The package's departures from Monday–Friday, as sorted dates with a
    running sum, so counting working days in a range costs two bisections."""
    exceptions = {d: -1 for d in _package.holidays if d.weekday() < 5}  # a weekday off
    exceptions.update({d: +1 for d in _package.workdays if d.weekday() >= 5})  # a weekend day worked (调休)
    days = sorted(exceptions)
    running, total = [], 0
    for d in days:
        total += exceptions[d]
        running.append(total)
    years = frozenset(range(min(_package.holidays).year, max(_package.holidays).year + 1))
    return exceptions, days, running, years


def _weekdays_after(start: date, end: date) -> int:
    """Monday–Friday days in (start, end], start <= end."""
    def upto(d: date) -> int:  # weekdays from a fixed Monday up to and including d
        n = d.toordinal() - 1  # ordinal 1 (0001-01-01) is a Monday
        return n // 7 * 5 + min(n % 7 + 1, 5)

    return upto(end) - upto(start)


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
        exceptions, _, _, package_years = _package_index()
        if day.year not in self.loaded_years:
            if day.year in package_years:
                return exceptions.get(day, 0) + (day.weekday() < 5) > 0
            self.warnings.add(FALLBACK_WARNING.format(year=day.year))
        return day.weekday() < 5

    def covers(self, day: date) -> bool:
        """Whether an official source (table or package) knows this year."""
        return day.year in self.loaded_years or day.year in _package_index()[3]

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
        exceptions, days, running, package_years = _package_index()
        count = _weekdays_after(start, end)
        # The package's holidays and make-up days in the range.
        lo, hi = bisect.bisect_right(days, start), bisect.bisect_right(days, end)
        if hi > lo:
            count += running[hi - 1] - (running[lo - 1] if lo else 0)
        # Years the admin table defines in full replace the package there.
        for year in self.loaded_years:
            if start.year <= year <= end.year and year in package_years:
                ylo = bisect.bisect_right(days, max(start, date(year, 1, 1) - timedelta(days=1)))
                yhi = bisect.bisect_right(days, min(end, date(year, 12, 31)))
                if yhi > ylo:
                    count -= running[yhi - 1] - (running[ylo - 1] if ylo else 0)
        for year in range((start + timedelta(days=1)).year, end.year + 1):
            if year not in package_years and year not in self.loaded_years:
                self.warnings.add(FALLBACK_WARNING.format(year=year))
        # The admin's overrides, each replacing whatever was counted for its day.
        for day, working in self.overrides.items():
            if start < day <= end:
                base = self._unoverridden(day)
                count += int(working) - int(base)
        return count

    def _unoverridden(self, day: date) -> bool:
        exceptions, _, _, package_years = _package_index()
        if day.year in package_years and day.year not in self.loaded_years:
            return exceptions.get(day, 0) + (day.weekday() < 5) > 0
        return day.weekday() < 5


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
