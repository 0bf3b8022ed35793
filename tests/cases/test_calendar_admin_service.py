"""casehub/services/calendar_admin.py: platform administrators keep the
working calendar; each act is authorised, validated, audited once, and
recomputes the stored deadlines it moves."""

from datetime import date

import pytest

from casehub.calendar import working_calendar
from casehub.models import AuditEntry, CalendarDay, CalendarYear, Case
from casehub.rules.refusal import Kind, Refused
from casehub.services import calendar_admin
from tests.factories import Office, UserFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(db):
    return UserFactory(username="pingtai", is_superuser=True, is_staff=True)


def test_a_holiday_moves_the_deadlines_it_falls_before(platform):
    office = Office()
    case = make_case(office, lead_received_on=date(2026, 3, 2))
    untouched = make_case(office, lead_received_on=date(2026, 1, 5))
    before = Case.objects.get(pk=case.pk).next_deadline_on
    early = Case.objects.get(pk=untouched.pk).next_deadline_on
    assert before == date(2026, 3, 23) and early < date(2026, 3, 10)
    n = calendar_admin.set_days(actor=platform, year=2026, first=date(2026, 3, 10), working=False, note="临时调整")
    assert n == 1
    assert Case.objects.get(pk=case.pk).next_deadline_on == date(2026, 3, 24)
    assert Case.objects.get(pk=untouched.pk).next_deadline_on == early
    entry = AuditEntry.objects.get(action="calendar.add_holidays")
    assert entry.result == "allowed" and entry.detail["deadlines_moved"] == 1 and entry.detail["days"] == 1
    assert AuditEntry.objects.filter(object_type="calendar_year").count() == 1
    # Removing it puts the deadline back.
    assert calendar_admin.clear_days(actor=platform, year=2026, first=date(2026, 3, 10)) == 1
    assert Case.objects.get(pk=case.pk).next_deadline_on == before
    assert AuditEntry.objects.get(action="calendar.remove_days").detail["removed"] == ["2026-03-10"]


def test_a_range_of_make_up_days(platform):
    # 2026-03-07/08: a weekend made working days shortens the period by two.
    case = make_case(Office(), lead_received_on=date(2026, 3, 2))
    calendar_admin.set_days(actor=platform, year=2026, first=date(2026, 3, 7), last=date(2026, 3, 8),
                            working=True, note="调休")
    assert CalendarDay.objects.filter(is_working_day=True).count() == 2
    assert working_calendar().is_working_day(date(2026, 3, 7))
    assert Case.objects.get(pk=case.pk).next_deadline_on == date(2026, 3, 19)
    # Entering the same days again replaces them, never doubles them.
    calendar_admin.set_days(actor=platform, year=2026, first=date(2026, 3, 7), last=date(2026, 3, 8),
                            working=False)
    assert CalendarDay.objects.count() == 2 and not CalendarDay.objects.filter(is_working_day=True).exists()


def test_marking_a_year_loaded_drops_the_warning(platform):
    case = make_case(Office())
    Case.objects.filter(pk=case.pk).update(lead_received_on=date(2026, 12, 24))
    from django.core.management import call_command

    call_command("check_deadlines", "--refresh", "--no-alerts", stdout=open("/dev/null", "w"))
    assert Case.objects.get(pk=case.pk).deadline_warning == "calendar for 2027 not loaded"
    calendar_admin.set_days(actor=platform, year=2027, first=date(2027, 1, 1), working=False, note="元旦")
    calendar_admin.set_loaded(actor=platform, year=2027, loaded=True, source="国务院办公厅通知")
    assert CalendarYear.objects.get(year=2027).source == "国务院办公厅通知"
    assert Case.objects.get(pk=case.pk).deadline_warning == ""
    calendar_admin.set_loaded(actor=platform, year=2027, loaded=False)
    assert not CalendarYear.objects.exists()
    assert Case.objects.get(pk=case.pk).deadline_warning == "calendar for 2027 not loaded"
    assert list(AuditEntry.objects.filter(object_type="calendar_year").order_by("seq").values_list(
        "action", flat=True)) == ["calendar.add_holidays", "calendar.year_loaded", "calendar.year_unloaded"]


@pytest.mark.parametrize("first, last, field", [
    (date(2025, 12, 31), None, "first"),
    (date(2026, 5, 1), date(2027, 1, 2), "last"),
    (date(2026, 5, 5), date(2026, 5, 1), "last"),
    ("2026-05-01", None, "first"),
])
def test_bad_dates_are_refused_at_their_field(platform, first, last, field):
    with pytest.raises(Refused) as refused:
        calendar_admin.set_days(actor=platform, year=2026, first=first, last=last, working=False)
    assert refused.value.kind == Kind.INVALID and list(refused.value.errors) == [field]
    assert not CalendarDay.objects.exists()
    assert AuditEntry.objects.get().result == "denied"


def test_bad_years_and_notes(platform):
    for year in (1999, 2101, "x"):
        with pytest.raises(Refused) as refused:
            calendar_admin.set_loaded(actor=platform, year=year, loaded=True)
        assert list(refused.value.errors) == ["year"]
    with pytest.raises(Refused) as refused:
        calendar_admin.set_days(actor=platform, year=2026, first=date(2026, 5, 1), working=False, note="节" * 65)
    assert list(refused.value.errors) == ["note"]
    with pytest.raises(Refused) as refused:
        calendar_admin.clear_days(actor=platform, year=2026, first=date(2026, 5, 1), last=date(2026, 5, 5))
    assert list(refused.value.errors) == ["first"]  # nothing entered there
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()


def test_only_platform_administrators(db):
    office = Office()
    for user in (office.head, office.officer, UserFactory(is_staff=True)):
        with pytest.raises(Refused) as refused:
            calendar_admin.set_days(actor=user, year=2026, first=date(2026, 5, 6), working=False)
        assert refused.value.kind == Kind.FORBIDDEN
        with pytest.raises(Refused):
            calendar_admin.set_loaded(actor=user, year=2026, loaded=True)
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()
    assert AuditEntry.objects.filter(result="denied").count() == 6


def test_the_year_view(platform):
    calendar_admin.set_days(actor=platform, year=2026, first=date(2026, 6, 3), working=False, note="测试")
    view = calendar_admin.year_view(2026)
    days = {d.date: d for m in view.months for w in m.weeks for d in w if d}
    assert len(days) == 365 and len(view.months) == 12
    assert days[date(2026, 2, 17)].kind == "holiday" and str(days[date(2026, 2, 17)].holiday) == "春节"
    assert days[date(2026, 2, 14)].kind == "makeup"  # 春节调休 (a Saturday worked)
    assert days[date(2026, 6, 6)].kind == "weekend" and days[date(2026, 6, 5)].kind == "workday"
    assert days[date(2026, 6, 3)].kind == "holiday" and days[date(2026, 6, 3)].entered.note == "测试"
    assert view.covered_by_package and view.loaded is None
    later = calendar_admin.year_view(2031)
    assert not later.covered_by_package and later.holidays == 0 and later.makeup_days == 0
    assert all(d.kind in ("workday", "weekend") for m in later.months for w in m.weeks for d in w if d)
