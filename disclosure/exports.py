"""The disclosure desk and the credit-repair desk as files: exactly the rows
each desk lists the user (the access module's visible records, the desk's
filters), audited once before the first row leaves (the filters, format and
row count), read in keyset pages — the core's desk export
(casehub/services/exports.py), applied to this app's desks."""

from __future__ import annotations

from itertools import chain

from casehub import access
from casehub.services import desks
from casehub.services.exports import DeskExport, desk_export

from .filtering import desk_records, desk_repairs
from .models import CreditRepair, DisclosureRecord


def records(actor, filters: dict):
    """The disclosure desk's records for these cleaned filters, as the actor may see them."""
    visible = access.visible_disclosure_records(actor, DisclosureRecord.objects.all())
    return desk_records(visible, filters).select_related("agency")


def repairs(actor, filters: dict):
    """The credit-repair desk's applications: to records the actor may see."""
    visible = access.visible_disclosure_records(actor, DisclosureRecord.objects.all())
    mine = CreditRepair.objects.filter(record__in=visible.values("pk"))
    return desk_repairs(mine, filters).select_related("record", "record__agency", "recorded_by", "decided_by")


def _pending_first(queryset):
    """As the desk: those awaiting a decision, then the decided, each newest first (keyset pages)."""
    pending = CreditRepair.Status.PENDING
    return chain(desks.walk(queryset.filter(status=pending)), desks.walk(queryset.exclude(status=pending)))


def export_records(*, actor, filters: dict, fmt: str, request=None) -> DeskExport:
    return desk_export(actor, "disclosure.export", "disclosure", records(actor, filters), filters, fmt,
                       request)


def export_repairs(*, actor, filters: dict, fmt: str, request=None) -> DeskExport:
    return desk_export(actor, "credit_repair.export", "credit_repair", repairs(actor, filters), filters, fmt,
                       request, walk=_pending_first)
