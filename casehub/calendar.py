"""The working-day calendar as configured: the admin table over the
package (see rules/working_days.py)."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from .models import CalendarDay, CalendarYear
from .rules.working_days import WorkingCalendar

_CACHE_KEY = "casehub:calendar:v1"


def working_calendar() -> WorkingCalendar:
    """A fresh calendar (its warnings are per use) over cached overrides."""
    loaded = cache.get(_CACHE_KEY)
    if loaded is None:
        overrides = dict(CalendarDay.objects.values_list("date", "is_working_day"))
        years = frozenset(CalendarYear.objects.values_list("year", flat=True))
        loaded = (overrides, years)
        cache.set(_CACHE_KEY, loaded, 300)
    overrides, years = loaded
    return WorkingCalendar(overrides=overrides, loaded_years=years)


def forget_calendar(**kwargs) -> None:
    cache.delete(_CACHE_KEY)


for _model in (CalendarDay, CalendarYear):
    post_save.connect(forget_calendar, sender=_model, dispatch_uid=f"calendar_saved_{_model.__name__}")
    post_delete.connect(forget_calendar, sender=_model, dispatch_uid=f"calendar_deleted_{_model.__name__}")
