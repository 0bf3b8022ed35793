"""/manage/calendar/ — 工作日历: platform administrators see a year month by
month and add or remove holidays and make-up working days, and mark the
year loaded, through casehub/services/calendar_admin.py; anyone else a 404."""

from datetime import date

import pytest
from django.urls import reverse

from casehub.models import AuditEntry, CalendarDay, CalendarYear, Case
from tests.factories import UserFactory, make_case

from .helpers import queries_for, signed_in

pytestmark = pytest.mark.django_db
CALENDAR = reverse("web:calendar")


@pytest.fixture
def platform(db):
    return UserFactory(username="pingtai", is_superuser=True, is_staff=True)


def act(year, name):
    return reverse("web:calendar-act", args=[year, name])


def test_the_year_in_month_grids(platform):
    CalendarDay.objects.create(date=date(2026, 6, 3), is_working_day=False, note="临时调整")
    page = signed_in(platform).get(CALENDAR, {"year": 2026})
    text = page.content.decode()
    assert page.status_code == 200 and page.context["view"].year == 2026
    assert text.count('<table class="calendar-month">') == 12
    assert 'class="holiday" title="2026-02-17 春节"' in text
    assert 'class="makeup" title="2026-02-14' in text
    assert 'class="holiday entered" title="2026-06-03 临时调整"' in text
    assert 'class="weekend" title="2026-06-06"' in text
    assert "工作日历" in text


def test_a_year_not_loaded_is_said_so(platform):
    text = signed_in(platform).get(CALENDAR, {"year": 2031}).content.decode()
    assert "calendar-warning" in text


def test_add_a_holiday_and_the_deadline_moves(platform, office):
    case = make_case(office, lead_received_on=date(2026, 3, 2))
    assert Case.objects.get(pk=case.pk).next_deadline_on == date(2026, 3, 23)
    client = signed_in(platform)
    response = client.post(act(2026, "holidays"), {"holidays-first": "2026-03-10", "holidays-last": "",
                                                   "holidays-note": "临时调整"})
    assert response.status_code == 302 and response["Location"] == f"{CALENDAR}?year=2026"
    assert CalendarDay.objects.get(date=date(2026, 3, 10)).note == "临时调整"
    assert Case.objects.get(pk=case.pk).next_deadline_on == date(2026, 3, 24)
    assert AuditEntry.objects.filter(action="calendar.add_holidays", result="allowed").count() == 1
    followed = client.get(response["Location"])
    assert [str(m) for m in followed.context["messages"]]


def test_make_up_days_range_remove_and_loaded(platform):
    client = signed_in(platform)
    assert client.post(act(2027, "workdays"), {"workdays-first": "2027-02-06", "workdays-last": "2027-02-07",
                                               "workdays-note": "春节调休"}).status_code == 302
    assert CalendarDay.objects.filter(is_working_day=True).count() == 2
    assert client.post(act(2027, "remove"), {"remove-first": "2027-02-07"}).status_code == 302
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [date(2027, 2, 6)]
    assert client.post(act(2027, "loaded"), {"loaded-source": "国办发明电〔2026〕7号", "loaded": "1"}).status_code == 302
    assert CalendarYear.objects.get(year=2027).source == "国办发明电〔2026〕7号"
    page = client.get(CALENDAR, {"year": 2027}).content.decode()
    assert "国办发明电〔2026〕7号" in page and "calendar-warning" not in page
    assert client.post(act(2027, "loaded"), {"loaded-source": "", "loaded": "0"}).status_code == 302
    assert not CalendarYear.objects.exists()


@pytest.mark.parametrize("name, data, field", [
    ("holidays", {"holidays-first": "2025-12-31"}, "first"),
    ("holidays", {"holidays-first": "2026-05-05", "holidays-last": "2026-05-01"}, "last"),
    ("holidays", {"holidays-first": "not a date"}, "first"),
    ("workdays", {"workdays-first": ""}, "first"),
    ("remove", {"remove-first": "2026-05-01"}, "first"),
    ("loaded", {"loaded-source": "x" * 201}, "source"),
])
def test_bad_input_shows_at_the_field(platform, name, data, field):
    response = signed_in(platform).post(act(2026, name), data)
    assert response.status_code == 400
    form = response.context["forms"][name]
    assert form.errors[field], form.errors
    assert f'id="id_{name}-{field}-errors"' in response.content.decode()
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()


def test_unknown_acts_and_years_are_a_404(platform):
    client = signed_in(platform)
    assert client.post(act(2026, "delete-everything"), {}).status_code == 404
    assert client.post(act(1900, "holidays"), {"holidays-first": "1900-01-02"}).status_code == 404
    assert client.get(CALENDAR, {"year": "abc"}).status_code == 200  # the current year, the field marked


@pytest.mark.parametrize("who", ["officer", "head", "outsider", "stranger", "agency_admin"])
def test_everyone_else_gets_a_404(office, outsider, stranger, who):
    from agencies.roles import Role
    from tests.factories import member

    user = {"officer": office.officer, "head": office.head, "outsider": outsider, "stranger": stranger,
            "agency_admin": None}[who] or member(office.agency, Role.AGENCY_ADMIN)
    client = signed_in(user)
    assert client.get(CALENDAR).status_code == 404
    assert client.post(act(2026, "holidays"), {"holidays-first": "2026-05-06"}).status_code == 404
    assert not CalendarDay.objects.exists()


def test_the_page_costs_the_same_queries_whatever_is_entered(platform):
    client = signed_in(platform)
    client.get(CALENDAR, {"year": 2026})
    one, _ = queries_for(client, f"{CALENDAR}?year=2026")
    for day in range(1, 29):
        CalendarDay.objects.create(date=date(2026, 8, day), is_working_day=False)
    client.get(CALENDAR, {"year": 2026})  # the calendar's cache, forgotten by the edit, loads again
    many, _ = queries_for(client, f"{CALENDAR}?year=2026")
    assert one == many
