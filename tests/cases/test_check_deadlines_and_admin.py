from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from casehub.calendar import working_calendar
from casehub.models import CalendarDay, CalendarYear, Case
from tests.factories import Office, UserFactory, make_case

pytestmark = pytest.mark.django_db


def test_check_deadlines_lists_overdue_and_due(capsys):
    office = Office()
    late = make_case(office, lead_received_on=timezone.localdate() - timedelta(days=40))
    fresh = make_case(office)
    call_command("check_deadlines", "--days", "30")
    out = capsys.readouterr().out
    assert "OVERDUE" in out and late.number in out
    assert fresh.number in out  # due within 30 working days
    call_command("check_deadlines", "--days", "1")
    out = capsys.readouterr().out
    assert late.number in out and fresh.number not in out
    assert "1 overdue, 0 due" in out


def test_calendar_table_overrides_the_package_and_refresh_recomputes(capsys):
    office = Office()
    case = make_case(office, lead_received_on=date(2026, 6, 1))
    before = Case.objects.get(pk=case.pk).next_deadline_on
    # The admin declares the day before the due date a holiday.
    CalendarDay.objects.create(date=before - timedelta(days=1), is_working_day=False, note="临时调整")
    assert not working_calendar().is_working_day(before - timedelta(days=1))
    call_command("check_deadlines", "--refresh")
    after = Case.objects.get(pk=case.pk).next_deadline_on
    assert after > before


def test_a_year_entered_in_full_drops_the_warning():
    office = Office()
    case = make_case(office)
    # A lead of late December, whose deadline runs into 2027 (set behind the
    # service's back: it may lie in the future on the day the test runs).
    Case.objects.filter(pk=case.pk).update(lead_received_on=date(2026, 12, 24))
    call_command("check_deadlines", "--refresh")
    assert Case.objects.get(pk=case.pk).deadline_warning == "calendar for 2027 not loaded"
    CalendarYear.objects.create(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    CalendarDay.objects.create(date=date(2027, 1, 1), is_working_day=False, note="元旦")
    call_command("check_deadlines", "--refresh")
    assert Case.objects.get(pk=case.pk).deadline_warning == ""


def test_admin_shows_cases_read_only(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    case = make_case(Office())
    client.force_login(admin)
    assert client.get(f"/admin/casehub/case/{case.pk}/change/").status_code == 200
    assert client.get("/admin/casehub/auditentry/").status_code == 200
    assert client.get("/admin/casehub/timelineevent/").status_code == 200
    assert client.get("/admin/casehub/case/add/").status_code == 403
    assert client.post(f"/admin/casehub/case/{case.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Case.objects.filter(pk=case.pk).exists()
    assert client.get("/admin/casehub/calendarday/add/").status_code == 200


def test_the_admin_hides_informants_and_audits_its_reads_of_a_case(client):
    from casehub.models import AuditEntry, Party

    admin = UserFactory(is_superuser=True, is_staff=True)
    case = make_case(Office())
    Party.objects.create(case=case, role="informant", kind="individual", name="李举报")
    client.force_login(admin)
    page = client.get(f"/admin/casehub/case/{case.pk}/change/")
    assert page.status_code == 200 and "李举报" not in page.content.decode()
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.user, entry.action, entry.object_id, entry.result, entry.detail["via"]) == (
        admin, "case.read", str(case.pk), "allowed", "admin")
    assert entry.owner_agency_id == case.owning_agency_id
