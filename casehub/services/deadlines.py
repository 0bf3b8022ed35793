from django.utils import timezone

from ..calendar import working_calendar
from ..models import Case, ClockStop
from ..rules import deadlines as rules


def facts_of(case: Case) -> rules.DeadlineFacts:
    saved = case.pk is not None  # a case being created has no stops or extensions yet
    return rules.DeadlineFacts(
        status=case.status,
        lead_received_on=case.lead_received_on,
        filed_on=case.filed_on,
        stops=tuple((s.stopped_on, s.restarted_on) for s in case.clock_stops.all()) if saved else (),
        extensions=tuple(
            rules.Extension(e.deadline, days=e.days, due_on=e.due_on) for e in case.extensions.all()
        ) if saved else (),
    )


def refresh(case: Case) -> rules.Deadline | None:
    """Recompute the running deadline and store it on the case (not saved)."""
    deadline = rules.compute(facts_of(case), working_calendar())
    case.next_deadline = deadline.name if deadline else ""
    case.next_deadline_on = deadline.due_on if deadline else None
    case.deadline_warning = "; ".join(deadline.warnings) if deadline else ""
    if deadline is not None and deadline.due_on is not None and deadline.name == "filing":
        case.filing_due_on = deadline.due_on
    elif deadline is not None and deadline.due_on is not None and deadline.name == "decision":
        case.decision_due_on = deadline.due_on
    return deadline


def describe(case: Case, cal=None) -> dict | None:
    """The next deadline as the API shows it."""
    return describe_values(case.next_deadline, case.next_deadline_on, case.deadline_warning, cal)


def describe_values(name: str, due, warning: str, cal=None, today=None) -> dict | None:
    if not name:
        return None
    cal = cal or working_calendar()
    today = today or timezone.localdate()
    return {
        "name": name,
        "due_on": due,
        "paused": due is None,
        "working_days_left": cal.working_days_between(today, due) if due else None,
        "overdue": due is not None and due < today,
        "warning": warning or None,
    }


def open_clock_stop(case: Case):
    """The clock stop in force on the case (None while its clock runs)."""
    return ClockStop.objects.filter(case=case, restarted_on__isnull=True).first()
