"""A page row as the list shows it: exactly what the API's
CaseListSerializer documents (a test holds the two equal), and what the web
table and the export read."""

from __future__ import annotations

from datetime import timezone as dt_timezone
from decimal import Decimal

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ..rules.workflow import Status
from ..services import deadlines


def _date(value):
    return value[:10] if value.__class__ is str else value.isoformat()


def _as_date(value):
    return parse_date(value[:10]) if isinstance(value, str) else value


def _timestamp(value, zone) -> str:
    # As DRF's DateTimeField: in the current time zone, ISO 8601.
    if value.__class__ is str:
        value = parse_datetime(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt_timezone.utc)
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _amount(value):
    if value.__class__ is not Decimal:
        value = Decimal(str(value))
    return f"{value:.2f}"


class RowBuilder:
    """Builds list rows; holds what every row of a page shares."""

    def __init__(self, calendar):
        self.calendar = calendar
        self.labels = {value: str(label) for value, label in Status.choices}
        self.zone = timezone.get_current_timezone()
        self.today = timezone.localdate()

    def __call__(self, r) -> dict:
        due = _as_date(r[14])
        deadline = deadlines.describe_values(r[13], due, r[15], self.calendar, self.today)
        if deadline is not None and due is not None:
            deadline["due_on"] = due.isoformat()
        amount, lead, filed, decided = r[9], r[10], r[11], r[12]
        return {
            "id": r[0], "number": r[1], "title": r[2], "status": r[3], "status_display": self.labels.get(r[3], r[3]),
            "ip_type": r[4], "kind": r[5], "source": r[6], "campaign": r[7],
            "owning_agency": {"id": r[18], "code": r[19], "name": r[20]},
            "region": r[8], "amount_involved": None if amount is None else _amount(amount),
            "lead_received_on": None if lead is None else _date(lead),
            "filed_on": None if filed is None else _date(filed),
            "decision_date": None if decided is None else _date(decided), "next_deadline": deadline,
            "version": r[16], "updated_at": _timestamp(r[17], self.zone),
        }
