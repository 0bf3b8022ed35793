"""Statutory deadlines of a case.

Source: 《市场监督管理行政处罚程序规定》 (2022), Administrative Penalty Law
(2021) art. 60 — see ../shared/domain.md:
- filing decision within 15 working days of the lead; the head may approve
  15 more;
- decision within 90 days of filing; the head may approve 30 more; beyond
  that the leadership's collective decision sets the date;
- testing, appraisal, right-holder identification, suspension, hearing and
  public notice do not count (clock stops).

The periods are settings (CASEHUB_DEADLINES), these values their defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from .working_days import WorkingCalendar, due_date
from .workflow import Status

DEFAULT_PERIODS = {
    # name: (amount, unit, extension amount by the head)
    "filing": (15, "working_days", 15),
    "decision": (90, "days", 30),
}


def periods() -> dict[str, tuple[int, str, int]]:
    return {**DEFAULT_PERIODS, **getattr(settings, "CASEHUB_DEADLINES", {})}


@dataclass(frozen=True)
class Extension:
    deadline: str
    days: int | None = None
    due_on: date | None = None  # a collective decision sets the date outright


@dataclass(frozen=True)
class DeadlineFacts:
    status: str
    lead_received_on: date
    filed_on: date | None = None
    stops: tuple[tuple[date, date | None], ...] = ()
    extensions: tuple[Extension, ...] = ()


@dataclass(frozen=True)
class Deadline:
    name: str
    due_on: date | None  # None while the clock is stopped
    extended: bool = False
    collective: bool = False
    warnings: tuple[str, ...] = field(default=())

    @property
    def paused(self) -> bool:
        return self.due_on is None


# Which deadline is running in each status.
RUNNING = {
    Status.LEAD: "filing",
    Status.FILED: "decision",
    Status.INVESTIGATING: "decision",
    Status.UNDER_REVIEW: "decision",
    Status.SUSPENDED: "decision",
}


def compute(facts: DeadlineFacts, cal: WorkingCalendar) -> Deadline | None:
    """The deadline running now, or None when no statutory clock runs."""
    name = RUNNING.get(facts.status)
    if name is None:
        return None
    start = facts.lead_received_on if name == "filing" else facts.filed_on
    if start is None:
        return None
    amount, unit, _ = periods()[name]
    mine = [e for e in facts.extensions if e.deadline == name]
    collective = [e for e in mine if e.due_on is not None]
    cal.warnings.clear()
    if collective:
        return Deadline(name, collective[-1].due_on, extended=True, collective=True)
    extra = sum(e.days or 0 for e in mine)
    due = due_date(cal, start, amount + extra, unit, facts.stops)
    return Deadline(name, due, extended=bool(extra), warnings=tuple(sorted(cal.warnings)))


def extension_allowed(name: str, facts: DeadlineFacts) -> int | None:
    """Days the head may still add to this deadline, or None if the one
    approval the rules allow has been used (then only a collective decision
    can set a later date)."""
    if name not in periods():
        return None
    if any(e.deadline == name for e in facts.extensions):
        return None
    return periods()[name][2]


def days_left(deadline: Deadline, today: date, cal: WorkingCalendar) -> int | None:
    """Working days from today to the due date (negative when overdue)."""
    if deadline.due_on is None:
        return None
    return cal.working_days_between(today, deadline.due_on)
