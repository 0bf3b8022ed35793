"""The working-day calendar as platform administrators keep it: a year
marked loaded (its whole schedule entered, so the weekday fallback and its
warning no longer apply), holidays and make-up working days (调休) added or
removed, one day or a range at a time.

Each act is authorised (platform administrators only), validated (dates in
the year named, a range not reversed), audited once, and recomputes in the
same transaction the stored case deadlines it may move: those due on or
after the first day changed (a deadline due before it was counted over days
that did not change), as `check_deadlines --refresh` does for all; likewise
the due moments of open transfers. Other apps' dates (a disclosure record's
publication date) follow the event `calendar.changed`, published in the
same transaction with the first day changed."""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import access, audit
from ..calendar import forget_calendar, working_calendar
from ..events import publish
from ..models import CalendarDay, CalendarYear, Case, Transfer
from ..rules.working_days import WorkingCalendar
from . import deadlines, transfers
from .errors import Refused

PLATFORM_ONLY = _("Only platform administrators keep the working calendar.")
FIRST_YEAR, LAST_YEAR = 2000, 2100
BAD_YEAR = _("Choose a year from 2000 to 2100.")
OUTSIDE_YEAR = _("The date must be in %(year)d.")
REVERSED = _("The last day cannot be before the first.")
NOTE_LENGTH = CalendarDay._meta.get_field("note").max_length
SOURCE_LENGTH = CalendarYear._meta.get_field("source").max_length
TOO_LONG = _("At most %(n)d characters.")
NOTHING_TO_REMOVE = _("No holiday or make-up working day is entered in these days.")
# The chinesecalendar package names its holidays in English.
HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"), "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"), "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"), "National Day": _("National Day"),
    "Mid-autumn Festival": _("Mid-autumn Festival"), "Anti-Fascist 70th Day": _("Anti-Fascist 70th Day"),
}


def _require_platform_admin(actor) -> None:
    if not access.is_platform_admin(actor):
        raise Refused.deny(PLATFORM_ONLY)


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Refused.invalid("year", BAD_YEAR) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Refused.invalid("year", BAD_YEAR)
    return year


def _range(year: int, first, last) -> tuple[date, date]:
    """The days from `first` to `last` (both included, `last` defaults to
    `first`), checked against the year."""
    errors: dict[str, list] = {}
    if not isinstance(first, date):
        errors["first"] = [_("Enter a valid date.")]
    elif first.year != year:
        errors["first"] = [OUTSIDE_YEAR % {"year": year}]
    if last is None:  # one day
        last = first
    elif not isinstance(last, date):
        errors["last"] = [_("Enter a valid date.")]
    elif last.year != year:
        errors["last"] = [OUTSIDE_YEAR % {"year": year}]
    elif "first" not in errors and last < first:
        errors["last"] = [REVERSED]
    if errors:
        raise Refused(errors)
    return first, last


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _recompute(since: date, detail: dict) -> None:
    """Recompute the stored deadlines due on or after `since`: the cases'
    and open transfers' (how many moved goes in the act's `detail`), then
    tell the other apps (`calendar.changed`)."""
    forget_calendar()
    detail["deadlines_moved"] = _recompute_cases(since)
    detail["transfers_moved"] = _recompute_transfers(since)
    publish("calendar.changed", since=since.isoformat())


def _recompute_transfers(since: date) -> int:
    """Open transfers whose running step falls due on or after `since`
    (from its local start), counted again from when its clock started; a
    transfer whose start is not known keeps its due moment."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    moved = 0
    running = (Transfer.objects.filter(transfers.under_way(), due_at__gte=start, due_since__isnull=False)
               .exclude(due_step="").select_for_update())
    for transfer in running.iterator(chunk_size=500):
        before = (transfer.due_step, transfer.due_at)
        transfers._set_due(transfer, transfer.due_since)
        if (transfer.due_step, transfer.due_at) != before:
            transfer.save(update_fields=["due_step", "due_at", "due_since"])
            moved += 1
    return moved


def _recompute_cases(since: date) -> int:
    moved = 0
    cases = (Case.objects.exclude(next_deadline="").filter(next_deadline_on__gte=since)
             .prefetch_related("clock_stops", "extensions"))
    for case in cases.iterator(chunk_size=500):
        before = (case.next_deadline, case.next_deadline_on, case.deadline_warning)
        deadlines.refresh(case)
        if (case.next_deadline, case.next_deadline_on, case.deadline_warning) != before:
            case.save(update_fields=["next_deadline", "next_deadline_on", "deadline_warning"])
            moved += 1
    return moved


def set_days(*, actor, year, first, last=None, working: bool, note: str = "", request=None) -> int:
    """Enter the days from `first` to `last` as holidays (`working` False)
    or make-up working days (True), replacing what was entered for them.
    How many days were entered."""
    action = "calendar.add_workdays" if working else "calendar.add_holidays"
    with audit.act(user=actor, action=action, object_type="calendar_year", object_id=str(year)[:40],
                   request=request) as act:
        _require_platform_admin(actor)
        year = _year(year)
        first, last = _range(year, first, last)
        note = (note or "").strip()
        if len(note) > NOTE_LENGTH:
            raise Refused.invalid("note", TOO_LONG % {"n": NOTE_LENGTH})
        days = list(_days(first, last))
        CalendarDay.objects.filter(date__in=days).delete()
        CalendarDay.objects.bulk_create([CalendarDay(date=d, is_working_day=working, note=note) for d in days])
        act.detail.update(first=first.isoformat(), last=last.isoformat(), days=len(days), note=note)
        _recompute(first, act.detail)
    return len(days)


def clear_days(*, actor, year, first, last=None, request=None) -> int:
    """Remove what was entered for the days from `first` to `last`: they
    count again as the package (or Monday–Friday) says. How many went."""
    with audit.act(user=actor, action="calendar.remove_days", object_type="calendar_year",
                   object_id=str(year)[:40], request=request) as act:
        _require_platform_admin(actor)
        year = _year(year)
        first, last = _range(year, first, last)
        entered = CalendarDay.objects.filter(date__gte=first, date__lte=last)
        removed = sorted(d.isoformat() for d in entered.values_list("date", flat=True))
        if not removed:
            raise Refused.invalid("first", NOTHING_TO_REMOVE)
        entered.delete()
        act.detail.update(first=first.isoformat(), last=last.isoformat(), removed=removed)
        _recompute(first, act.detail)
    return len(removed)


def set_loaded(*, actor, year, loaded: bool, source: str = "", request=None) -> CalendarYear | None:
    """Mark the year's schedule entered in full (with its source, e.g. the
    State Council's notice) or no longer so."""
    with audit.act(user=actor, action="calendar.year_loaded" if loaded else "calendar.year_unloaded",
                   object_type="calendar_year", object_id=str(year)[:40], request=request) as act:
        _require_platform_admin(actor)
        year = _year(year)
        source = (source or "").strip()
        if len(source) > SOURCE_LENGTH:
            raise Refused.invalid("source", TOO_LONG % {"n": SOURCE_LENGTH})
        if loaded:
            row, created = CalendarYear.objects.update_or_create(year=year, defaults={"source": source})
            act.detail.update(source=source, already=not created)
        else:
            row = None
            act.detail["already"] = not CalendarYear.objects.filter(year=year).delete()[0]
        _recompute(date(year, 1, 1), act.detail)
    return row


# --- reading ---------------------------------------------------------------------
@dataclass(frozen=True)
class Day:
    date: date
    working: bool
    weekend: bool
    entered: CalendarDay | None  # the administrator's entry for the day, if any
    holiday: object  # the package's name of the holiday, if it is one (and counts)

    @property
    def kind(self) -> str:
        """workday | weekend | holiday | makeup (a weekend day worked)."""
        if self.working:
            return "makeup" if self.weekend else "workday"
        return "weekend" if self.weekend and not self.holiday and not self.entered else "holiday"


@dataclass(frozen=True)
class Month:
    number: int
    weeks: list  # of 7 Days or None (days of the neighbouring months)


@dataclass(frozen=True)
class Year:
    year: int
    loaded: CalendarYear | None
    covered_by_package: bool
    months: list
    entered: list  # the CalendarDay rows of the year, by date
    holidays: int
    makeup_days: int


def year_view(year: int) -> Year:
    """The year as the deadlines count it, month by month (two queries)."""
    entered = list(CalendarDay.objects.filter(date__year=year).order_by("date"))
    by_date = {d.date: d for d in entered}
    loaded = CalendarYear.objects.filter(year=year).first()
    cal = working_calendar()
    from chinese_calendar.constants import holidays as package_holidays

    in_package = WorkingCalendar().covers(date(year, 1, 1))
    from_package = in_package and loaded is None
    months, holidays, makeup = [], 0, 0
    for number in range(1, 13):
        weeks = []
        for week in _calendar.Calendar(firstweekday=0).monthdatescalendar(year, number):
            row = []
            for d in week:
                if d.month != number:
                    row.append(None)
                    continue
                holiday = package_holidays.get(d) if from_package else None
                day = Day(d, cal.is_working_day(d), d.weekday() >= 5, by_date.get(d),
                          HOLIDAY_NAMES.get(holiday, holiday or ""))
                holidays += day.kind == "holiday"
                makeup += day.kind == "makeup"
                row.append(day)
            weeks.append(row)
        months.append(Month(number, weeks))
    return Year(year, loaded, in_package, months, entered, holidays, makeup)
