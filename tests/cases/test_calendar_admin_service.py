"""casehub/services/calendar_admin.py: platform administrators keep the
working calendar; each act is authorised, validated, audited once, and
recomputes the stored deadlines it moves."""

from datetime import date, datetime, time

import pytest

from casehub.calendar import working_calendar
from casehub.models import AuditEntry, CalendarDay, CalendarYear, Case
from casehub.rules.refusal import Kind, Refused
from casehub.services import calendar_admin
from tests.factories import Office, UserFactory, jingzhou_office, make_case

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


# --- transfers and disclosure records follow the calendar ------------------------
def _transfer(office, other, *, status, since, kind="jurisdiction"):
    """A transfer whose running step's clock started at `since` (local)."""
    from django.utils import timezone

    from casehub.models import Transfer
    from casehub.services.transfers import _set_due

    case = make_case(office)
    transfer = Transfer(case=case, kind=kind, from_agency=office.agency, to_agency=other.agency, status=status,
                        reason="管辖", proposed_by=office.officer)
    started = timezone.make_aware(datetime.combine(since, time(9, 0)))
    transfer.sent_at = started
    _set_due(transfer, started)
    transfer.save()
    return transfer


def _local_day(moment):
    from django.utils import timezone

    return timezone.localtime(moment).date()


def test_a_holiday_moves_open_transfers_and_pending_disclosures(platform):
    from casehub.models import Transfer
    from disclosure.models import DisclosureRecord
    from disclosure.services import approve
    from tests.disclosure.helpers import decided_case

    office, other = Office(), jingzhou_office()
    # Sent on Monday 2 March: the receiver decides within 15 working days, by 23 March.
    running = _transfer(office, other, status="sent", since=date(2026, 3, 2))
    assert running.due_step == "decide_other" and _local_day(running.due_at) == date(2026, 3, 23)
    early = _transfer(office, other, status="sent", since=date(2026, 1, 5))
    closed = _transfer(office, other, status="sent", since=date(2026, 3, 2))
    Transfer.objects.filter(pk=closed.pk).update(status="withdrawn")  # its last due moment stays as it was
    unknown = _transfer(office, other, status="sent", since=date(2026, 3, 2))
    Transfer.objects.filter(pk=unknown.pk).update(due_since=None)  # older than the field: not counted again

    pending = decided_case(office, number="宜市监处罚〔2026〕11号", decision_date=date(2026, 3, 2), person=False)
    published = decided_case(office, number="宜市监处罚〔2026〕12号", decision_date=date(2026, 3, 2),
                             person=False, company="宜昌另一商贸有限公司")
    record = DisclosureRecord.objects.get(case=pending)
    public = DisclosureRecord.objects.get(case=published)
    approve(actor=office.head, record_id=public.pk)
    assert record.due_on == date(2026, 3, 30)

    calendar_admin.set_days(actor=platform, year=2026, first=date(2026, 3, 10), working=False)

    assert _local_day(Transfer.objects.get(pk=running.pk).due_at) == date(2026, 3, 24)
    assert Transfer.objects.get(pk=running.pk).due_since == running.due_since
    for untouched in (early, closed, unknown):
        assert Transfer.objects.get(pk=untouched.pk).due_at == untouched.due_at
    assert DisclosureRecord.objects.get(pk=record.pk).due_on == date(2026, 3, 31)
    assert DisclosureRecord.objects.get(pk=public.pk).due_on == date(2026, 3, 30)
    entry = AuditEntry.objects.get(action="calendar.add_holidays")
    assert "deadlines_moved" in entry.detail and entry.detail["transfers_moved"] == 1
    [step] = entry.detail["steps"]
    assert step["action"] == "disclosure.recount_due" and step["records_moved"] == 1
    assert AuditEntry.objects.filter(object_type="calendar_year").count() == 1

    # Removing the holiday puts them back.
    calendar_admin.clear_days(actor=platform, year=2026, first=date(2026, 3, 10))
    assert _local_day(Transfer.objects.get(pk=running.pk).due_at) == date(2026, 3, 23)
    assert DisclosureRecord.objects.get(pk=record.pk).due_on == date(2026, 3, 30)
    removed = AuditEntry.objects.get(action="calendar.remove_days")
    assert removed.detail["transfers_moved"] == 1 and removed.detail["steps"][0]["records_moved"] == 1


def test_the_change_is_published_in_its_transaction(platform, monkeypatch):
    from django.db import connection

    from casehub.events import bus

    seen = []
    monkeypatch.setattr(bus, "_in_transaction", [
        *bus._in_transaction, (frozenset({"calendar.changed"}), lambda e: seen.append((e, connection.in_atomic_block)))])
    calendar_admin.set_days(actor=platform, year=2026, first=date(2026, 5, 6), last=date(2026, 5, 7), working=False)
    calendar_admin.set_loaded(actor=platform, year=2027, loaded=True, source="国务院办公厅通知")
    assert [(e.type, e.payload, atomic) for e, atomic in seen] == [
        ("calendar.changed", {"since": "2026-05-06"}, True), ("calendar.changed", {"since": "2027-01-01"}, True)]
    entry = AuditEntry.objects.get(action="calendar.year_loaded")
    assert entry.detail["transfers_moved"] == 0 and entry.detail["steps"][0]["records_moved"] == 0


def test_a_refused_change_publishes_nothing(platform, monkeypatch):
    from casehub.events import bus

    seen = []
    monkeypatch.setattr(bus, "_in_transaction", [(frozenset({"*"}), seen.append)])
    with pytest.raises(Refused):
        calendar_admin.clear_days(actor=platform, year=2026, first=date(2026, 5, 6))
    assert seen == []
