"""Exports: a list taken out of casehub, as a file. Each export is audited
once, before its first row leaves: who took which list (the filters, the
order), in which format, and how many rows it held then. What is exported
is exactly what the user's list shows (casehub/listing/, the same scopes),
read in keyset pages as the file is written."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import audit, listing
from ..listing.parameters import filters_of

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
