"""The working-day calendar as configured: the admin table over the
package (see rules/working_days.py)."""

import time
from threading import Lock

from django.db.models.signals import post_delete, post_save

from .models import CalendarDay, CalendarYear
from .rules.working_days import WorkingCalendar

# The admin's table is read every five minutes per process, not on every
# request (every case list and detail needs the calendar); an edit is seen at
# once in the process that made it and within five minutes everywhere else
# (`check_deadlines --refresh` then recomputes the stored deadlines).
_TTL_SECONDS = 300
_loaded: tuple[float, dict, frozenset] | None = None
_lock = Lock()


def working_calendar() -> WorkingCalendar:
    """A fresh calendar (its warnings are per use) over the table's overrides."""
    global _loaded
    loaded = _loaded
    if loaded is None or time.monotonic() - loaded[0] > _TTL_SECONDS:
        overrides = dict(CalendarDay.objects.values_list("date", "is_working_day"))
        years = frozenset(CalendarYear.objects.values_list("year", flat=True))
        loaded = (time.monotonic(), overrides, years)
        with _lock:
            _loaded = loaded
    _, overrides, years = loaded
    return WorkingCalendar(overrides=overrides, loaded_years=years)


def forget_calendar(**kwargs) -> None:
    global _loaded
    with _lock:
        _loaded = None


for _model in (CalendarDay, CalendarYear):
    post_save.connect(forget_calendar, sender=_model, dispatch_uid=f"calendar_saved_{_model.__name__}")
    post_delete.connect(forget_calendar, sender=_model, dispatch_uid=f"calendar_deleted_{_model.__name__}")
