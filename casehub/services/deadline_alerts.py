"""Deadline reminders: a case whose deadline falls due within one working
day, or has passed, raises an alert once per deadline, due date and kind,
and publishes it for whoever wants to tell people (notifications)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..calendar import working_calendar
from ..events.bus import publish
from ..models import Case, DeadlineAlert


def raise_alerts(today: date | None = None) -> list[DeadlineAlert]:
    """Raise what is newly due or overdue; return the alerts raised now."""
    today = today or timezone.localdate()
    tomorrow = working_calendar().add_working_days(today, 1)
    candidates = (
        Case.objects.exclude(next_deadline="").filter(next_deadline_on__lte=tomorrow)
        .values_list("pk", "next_deadline", "next_deadline_on", "owning_agency_id")
    )
    wanted = {
        (case_id, name, due_on, DeadlineAlert.Kind.OVERDUE if due_on < today else DeadlineAlert.Kind.DUE): agency_id
        for case_id, name, due_on, agency_id in candidates
    }
    if not wanted:
        return []
    raised_before = set(
        DeadlineAlert.objects.filter(case_id__in={key[0] for key in wanted})
        .values_list("case_id", "deadline", "due_on", "kind")
    )
    raised = []
    for key in sorted(set(wanted) - raised_before):
        case_id, name, due_on, kind = key
        try:
            with transaction.atomic():
                alert = DeadlineAlert.objects.create(case_id=case_id, deadline=name, due_on=due_on, kind=kind)
                publish(f"case.deadline_{kind}", case_id=case_id, agency_id=wanted[key], deadline=name,
                        due_on=due_on.isoformat(), alert_id=alert.pk)
        except IntegrityError:
            continue  # another worker raised it a moment ago
        raised.append(alert)
    return raised
