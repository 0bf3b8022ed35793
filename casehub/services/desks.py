"""The rows of the cross-agency desks for their filters: the transfers
(/transfers/) and the assistance requests (/assistance/) the access module
lets the user see, narrowed by the desk's cleaned filters. The desks page
them by key; their exports (services/exports.py) walk every page. Both
read the same listing, so a file holds exactly what the desk shows."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from .. import access
from ..models import AssistanceRequest, AssistanceStatus, Transfer
from .transfers import under_way

WALK_BATCH = 500  # rows per keyset page of an export


def transfers(user, values: dict):
    """The transfers the user may see in `values`' box (incoming, outgoing,
    supervising), kind, status, progress (open) and overdue."""
    rows = access.visible_transfers(user, Transfer.objects.select_related(
        "case", "from_agency", "to_agency", "supervising_agency"))
    mine = access.agency_ids(user)
    box = values.get("box")
    if box == "incoming":
        rows = rows.filter(to_agency_id__in=mine)
    elif box == "outgoing":
        rows = rows.filter(from_agency_id__in=mine)
    elif box == "supervising":
        rows = rows.filter(supervising_agency_id__in=access.supervising_agency_ids(user))
    if values.get("kind"):
        rows = rows.filter(kind=values["kind"])
    if values.get("status"):
        rows = rows.filter(status=values["status"])
    if values.get("open"):
        rows = rows.filter(under_way()) if values["open"] == "true" else rows.exclude(under_way())
    if values.get("overdue"):
        late = Q(due_at__lt=timezone.now())
        rows = rows.filter(late) if values["overdue"] == "true" else rows.exclude(late)
    return rows


def assistance_late(today):
    return Q(status=AssistanceStatus.OPEN, due_on__lt=today)


def assistance(user, values: dict, today):
    """The requests the user may see in `values`' box, status, open only
    and overdue only."""
    rows = access.visible_assistance(user, AssistanceRequest.objects.select_related(
        "case", "from_agency", "to_agency"))
    mine = access.agency_ids(user)
    if values.get("box") == "incoming":
        rows = rows.filter(to_agency_id__in=mine)
    elif values.get("box") == "outgoing":
        rows = rows.filter(from_agency_id__in=mine)
    if values.get("status"):
        rows = rows.filter(status=values["status"])
    if values.get("open"):
        rows = rows.filter(status=AssistanceStatus.OPEN)
    if values.get("overdue"):
        rows = rows.filter(assistance_late(today))
    return rows


def walk(queryset, *, batch: int | None = None):
    """Every row of `queryset`, newest first, read in keyset pages (one
    LIMIT query on the key each, whatever the depth)."""
    size = batch or WALK_BATCH
    before = None
    while True:
        page = queryset if before is None else queryset.filter(pk__lt=before)
        rows = list(page.order_by("-pk")[:size])
        yield from rows
        if len(rows) < size:
            return
        before = rows[-1].pk
