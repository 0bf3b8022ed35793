"""Exports: a list taken out of casehub, as a file. Each export is audited
once, before its first row leaves: who took which list (the filters, the
order), in which format, and how many rows it held then. What is exported
is exactly what the user's list shows (casehub/listing/, the same scopes),
read in keyset pages as the file is written. The same for the transfers
and assistance desks: their rows for the desk's filters (services/desks.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone

from .. import audit, listing
from ..listing.parameters import filters_of
from . import desks

FORMATS = ("csv", "xlsx")


@dataclass
class CaseExport:
    values: dict
    count: int
    rows: Iterator  # the list's rows (listing.FIELDS order), read lazily in keyset pages


def export_cases(*, actor, query, fmt: str, request=None) -> CaseExport:
    """The case list for these filters (a query string), as the actor may
    see it. Bad filters raise `Refused` (invalid) before anything is
    recorded: nothing was exported."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    values = listing.parse(query)
    values.pop("cursor", None)  # the whole list, from its start
    rows = listing.count(actor, values)
    with audit.act(user=actor, action="case.export", object_type="case", request=request,
                   detail={"filters": filters_of(values, query), "order": values["order"], "format": fmt,
                           "rows": rows}):
        pass
    return CaseExport(values=values, count=rows, rows=listing.walk(actor, values))


@dataclass
class DeskExport:
    filters: dict
    count: int
    rows: Iterator  # the desk's rows (model instances, newest first), read lazily in keyset pages


def desk_export(actor, action: str, object_type: str, rows, filters: dict, fmt: str, request, *,
                walk=desks.walk) -> DeskExport:
    """A desk's `rows` (a queryset) for its cleaned `filters`, audited once
    (the filters, format and row count) before its first row leaves, then
    read lazily by `walk` (keyset pages, newest first). Any app's desk may
    use it (disclosure/exports.py)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    filters = {name: value for name, value in filters.items() if value not in (None, "", False)}
    count = rows.count()
    with audit.act(user=actor, action=action, object_type=object_type, request=request,
                   detail={"filters": filters, "format": fmt, "rows": count}):
        pass
    return DeskExport(filters=filters, count=count, rows=walk(rows))


def export_transfers(*, actor, filters: dict, fmt: str, request=None) -> DeskExport:
    """The transfers desk for these cleaned filters, as the actor may see
    it (services/desks.py), audited once before its first row leaves."""
    return desk_export(actor, "transfer.export", "transfer", desks.transfers(actor, filters), filters, fmt, request)


def export_assistance(*, actor, filters: dict, fmt: str, today=None, request=None) -> DeskExport:
    """The assistance desk for these cleaned filters, as the actor may see
    it, audited once before its first row leaves."""
    today = today or timezone.localdate()
    return desk_export(actor, "assistance.export", "assistance", desks.assistance(actor, filters, today),
                        filters, fmt, request)
