"""What the desk's pages share: the labels of a record's state, its
publication countdown, a refusal shown in a form, the pager's addresses."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from casehub.rules.refusal import Kind, Refused
from casehub.rules.workflow import PenaltyType
from casehub.services.deadlines import describe_values
from casehub.vocabulary import IpType
from casehub.web import refusals

from ..models import RecordStatus, WithdrawnReason

STATUS_LABELS = dict(RecordStatus.choices)
WITHDRAWN_LABELS = dict(WithdrawnReason.choices)
IP_LABELS = dict(IpType.choices)
PENALTY_LABELS = dict(PenaltyType.choices)
STATUS_LABELS[RecordStatus.WITHDRAWN] = _("Withdrawn from publicity")


def penalty_labels(penalties) -> str:
    return "、".join(str(PENALTY_LABELS.get(p, p)) for p in penalties or ())


def state_of(record) -> dict:
    """The badge: the status, its css name, and what qualifies it (the
    revision of a corrected record, the reason it was withdrawn)."""
    status = record.status
    extra = ""
    if status == RecordStatus.WITHDRAWN:
        extra = WITHDRAWN_LABELS.get(record.withdrawn_reason, "")
    elif record.revision > 1 and status in (RecordStatus.PUBLISHED, RecordStatus.EXPIRED):
        extra = _("Corrected")
    return {"css": f"disclosure-{status}", "label": STATUS_LABELS.get(status, status), "extra": extra}


def countdown(record, cal, today) -> dict | None:
    """A pending record's 20 working days, in the deadline chip's shape."""
    if record.status != RecordStatus.PENDING:
        return None
    return describe_values("publication", record.due_on, "", cal=cal, today=today)


def show_refusal(form, refusal: Refused) -> None:
    """The service's messages at the form's fields (its own checks of type
    and shape, run to draw it, give way to the service's, which read the
    same input). Another agency's record: a 404."""
    if refusal.kind == Kind.NOT_FOUND:
        raise Http404
    form.errors.clear()
    refusals.to_form(form, refusal)


def with_query(base: str, query, **changes) -> str:
    """`base` with the request's query, the pager's keys replaced."""
    query = query.copy()
    for name in ("before", "after", "cursor"):
        query.pop(name, None)
    for name, value in changes.items():
        if value is not None:
            query[name] = value
    encoded = query.urlencode()
    return f"{base}?{encoded}" if encoded else base
