"""Administration in a real browser: the agency administrator adds a member
and issues a service-account token (shown once); the platform administrator
adds a holiday. Screenshots admin-members.png, admin-service-account.png and
admin-calendar.png go to var/screenshots/."""

from datetime import date

import pytest

from agencies.models import Membership
from agencies.roles import Role
from casehub.models import CalendarDay
from tests.factories import AgencyFactory, RegionFactory, UserFactory, member, service_account

from .conftest import signed_in_page

def problems(page) -> list[str]:
    """The page's console errors, but for the 400 a form with errors is answered with."""
    return [p for p in page.problems if "status of 400" not in p]


pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def agency(db):
    yichang = AgencyFactory(code="420500-SCJG", name="宜昌市市场监督管理局", short_name="宜市监",
                            region=RegionFactory(code="420500", name="宜昌市"))
    member(yichang, Role.OFFICER, username="wangfang", full_name="王芳")
    member(yichang, Role.HEAD, username="chenjun", full_name="陈军")
    return yichang


def test_the_agency_admin_adds_a_member_and_issues_a_token(agency, live_url, chromium, screenshot):
    wuting = member(agency, Role.AGENCY_ADMIN, username="wuting", full_name="吴婷")
    UserFactory(username="liqiang", full_name="李强")
    account = service_account(agency, username="hubei-credit-feed")
    page = signed_in_page(chromium, live_url, wuting)

    page.click("nav.sidenav >> text=人员与角色")
    page.wait_for_url("**/manage/members/")
    assert "宜昌市市场监督管理局" in page.locator("h1").inner_text()
    page.fill("#id_user", "liqiang")
    page.select_option("form[action$='/manage/members/add/'] #id_role", Role.REVIEWER)
    page.click("form[action$='/manage/members/add/'] button[type=submit]")
    page.wait_for_selector(".message-success")
    assert "李强" in page.locator("table.members").inner_text()
    assert Membership.objects.current().filter(user__username="liqiang", role=Role.REVIEWER).exists()
    # A refusal at the field: a supervisor only in a procuratorate.
    page.fill("#id_user", "wangfang")
    page.select_option("form[action$='/manage/members/add/'] #id_role", Role.SUPERVISOR)
    page.click("form[action$='/manage/members/add/'] button[type=submit]")
    assert "检察院" in page.locator("#id_role-errors").inner_text()
    screenshot(page, "admin-members")

    page.click("nav.sidenav >> text=系统账号")
    page.wait_for_url("**/manage/service-accounts/")
    page.click(f"a[href='/manage/service-accounts/{account.pk}/']")
    page.fill("#id_name", "拉取公示数据")
    page.click("form[action$='/tokens/'] button[type=submit]")
    key = page.locator("#new-key").input_value()
    assert len(key) > 20 and "只显示这一次" in page.locator(".new-key").inner_text()
    screenshot(page, "admin-service-account")
    page.goto(f"{live_url}/manage/service-accounts/{account.pk}/")
    assert page.locator("#new-key").count() == 0 and "拉取公示数据" in page.locator("table.tokens").inner_text()
    assert problems(page) == []


def test_the_platform_admin_adds_a_holiday(agency, live_url, chromium, screenshot):
    pingtai = UserFactory(username="pingtai", full_name="平台管理员", is_superuser=True, is_staff=True)
    page = signed_in_page(chromium, live_url, pingtai)
    page.goto(f"{live_url}/manage/calendar/?year=2026")
    assert page.locator("table.calendar-month").count() == 12
    # A reversed range is refused at the field.
    page.fill("#id_holidays-first", "2026-06-05")
    page.fill("#id_holidays-last", "2026-06-03")
    page.click("form[action$='/holidays/'] button[type=submit]")
    assert page.locator("#id_holidays-last-errors").inner_text()
    page.fill("#id_holidays-first", "2026-06-03")
    page.fill("#id_holidays-last", "2026-06-04")
    page.fill("#id_holidays-note", "临时调整")
    page.click("form[action$='/holidays/'] button[type=submit]")
    page.wait_for_selector(".message-success")
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [date(2026, 6, 3), date(2026, 6, 4)]
    assert page.locator("td.holiday.entered").count() == 2
    screenshot(page, "admin-calendar")
    assert problems(page) == []
