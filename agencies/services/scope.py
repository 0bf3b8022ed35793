"""Whose act it is in the audit log: the agency that owns the object acted
on (its auditors see every attempt on it, allowed or denied), and the agency
the actor acted for — that same agency when they belong to it."""

from __future__ import annotations

from casehub import access, audit

from ..models import Agency
from .input import pk_of


def on_agency(act: audit.Act, agency_id: int | None, obj=None, *, object_id=None) -> None:
    """Name the object acted on and the (existing) agency owning it."""
    act.about(obj, object_id=object_id)
    if agency_id is None:
        return
    act.owner_agency_id = agency_id
    if agency_id in access.agency_ids(act.user):
        act.agency_id = agency_id


def existing_agency_id(value) -> int | None:
    """The id of the agency named in the input, if there is one (an audit
    entry may only name an agency that exists)."""
    pk = pk_of(value)
    return pk if pk is not None and Agency.objects.filter(pk=pk).exists() else None
