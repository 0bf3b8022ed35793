from datetime import date

import pytest

from casehub.rules.deadlines import DeadlineFacts, Extension, compute, days_left, extension_allowed
from casehub.rules.working_days import WorkingCalendar
from casehub.rules.workflow import Status


@pytest.fixture
def cal():
    return WorkingCalendar()


def test_filing_deadline_is_15_working_days_across_the_spring_festival(cal):
    deadline = compute(DeadlineFacts(Status.LEAD, lead_received_on=date(2026, 2, 10)), cal)
    assert deadline.name == "filing" and deadline.due_on == date(2026, 3, 9)
    assert deadline.warnings == ()


def test_filing_extension_by_the_head_adds_15_working_days(cal):
    facts = DeadlineFacts(Status.LEAD, date(2026, 2, 10), extensions=(Extension("filing", days=15),))
    deadline = compute(facts, cal)
    assert deadline.extended and deadline.due_on == cal.add_working_days(date(2026, 3, 9), 15)
    assert extension_allowed("filing", facts) is None  # only one approval


def test_decision_deadline_is_90_calendar_days_ending_after_national_day(cal):
    deadline = compute(DeadlineFacts(Status.INVESTIGATING, date(2026, 6, 1), filed_on=date(2026, 7, 3)), cal)
    assert deadline.name == "decision"
    assert deadline.due_on == date(2026, 10, 8)  # 1 Oct is a holiday: next working day


def test_decision_extension_and_collective_decision(cal):
    base = DeadlineFacts(Status.UNDER_REVIEW, date(2026, 1, 5), filed_on=date(2026, 1, 12))
    assert extension_allowed("decision", base) == 30
    extended = compute(DeadlineFacts(**{**base.__dict__, "extensions": (Extension("decision", days=30),)}), cal)
    plain = compute(base, cal)
    # 12 Jan + 90 days is Sun 12 Apr, so Mon 13 Apr; + 120 days is Tue 12 May.
    assert (plain.due_on, extended.due_on) == (date(2026, 4, 13), date(2026, 5, 12))
    collective = compute(
        DeadlineFacts(**{**base.__dict__, "extensions": (Extension("decision", days=30), Extension("decision", due_on=date(2026, 9, 30)))}),
        cal,
    )
    assert collective.collective and collective.due_on == date(2026, 9, 30)


def test_clock_stop_moves_the_deadline_and_an_open_stop_pauses_it(cal):
    base = dict(status=Status.INVESTIGATING, lead_received_on=date(2026, 3, 1), filed_on=date(2026, 3, 2))
    plain = compute(DeadlineFacts(**base), cal)
    appraisal = compute(DeadlineFacts(**base, stops=((date(2026, 4, 1), date(2026, 4, 11)),)), cal)
    assert (plain.due_on, appraisal.due_on) == (date(2026, 6, 1), date(2026, 6, 10))
    paused = compute(DeadlineFacts(**base, stops=((date(2026, 4, 1), None),)), cal)
    assert paused.paused


def test_deadline_into_an_uncovered_year_says_so(cal):
    deadline = compute(DeadlineFacts(Status.LEAD, lead_received_on=date(2026, 12, 24)), cal)
    assert deadline.warnings == ("calendar for 2027 not loaded",)


def test_no_clock_after_decision(cal):
    for status in (Status.DECIDED, Status.EXECUTING, Status.CLOSED, Status.NOT_FILED, Status.WITHDRAWN):
        assert compute(DeadlineFacts(status, date(2026, 1, 5), filed_on=date(2026, 1, 6)), cal) is None


def test_days_left_counts_working_days(cal):
    deadline = compute(DeadlineFacts(Status.LEAD, lead_received_on=date(2026, 2, 10)), cal)
    assert days_left(deadline, date(2026, 2, 13), cal) == 12
    assert days_left(deadline, date(2026, 3, 11), cal) == -2


def test_periods_are_settings(cal, settings):
    settings.CASEHUB_DEADLINES = {"filing": (10, "working_days", 10)}
    deadline = compute(DeadlineFacts(Status.LEAD, lead_received_on=date(2026, 6, 1)), cal)
    assert deadline.due_on == cal.add_working_days(date(2026, 6, 1), 10)
