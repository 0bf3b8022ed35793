"""The agency directory: platform administrators create agencies, edit
them, deactivate and reactivate them (never delete: cases and the audit log
keep pointing at them). Everyone signed in reads it."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from casehub import access, audit
from casehub.rules.refusal import Refused

from ..models import Agency
from .input import pk_of, validated
from .scope import on_agency

PLATFORM_ONLY = _("Only platform administrators change the agency directory.")
OWN_ANCESTOR = _("An agency cannot be placed under itself.")


def _require_platform_admin(actor) -> None:
    if not access.is_platform_admin(actor):
        raise Refused.deny(PLATFORM_ONLY)


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    return str(value) if isinstance(value, Decimal) else value


def create(*, actor, serializer, request=None) -> Agency:
    with audit.act(user=actor, action="agency.create", object_type="agency", request=request) as act:
        _require_platform_admin(actor)
        agency = Agency.objects.create(**validated(serializer))
        on_agency(act, agency.pk, agency)
        act.detail.update(code=agency.code, name=agency.name)
    return agency


def update(*, actor, agency_id, serializer_for, request=None) -> Agency:
    """Change an agency; `active: false` deactivates it (its members leave
    its group at once: agencies/signals.py)."""
    with audit.act(user=actor, action="agency.update", object_type="agency", object_id=str(agency_id)[:40],
                   request=request) as act:
        pk = pk_of(agency_id)
        agency = Agency.objects.select_for_update().filter(pk=pk).first() if pk else None
        if agency is None:
            raise Refused.missing()
        on_agency(act, agency.pk, agency)
        act.detail["code"] = agency.code
        _require_platform_admin(actor)
        data = validated(serializer_for(agency))
        parent = data.get("parent")
        node = parent
        while node is not None:  # walking up from the new parent must not find the agency itself
            if node.pk == agency.pk:
                raise Refused.invalid("parent", OWN_ANCESTOR)
            node = node.parent
        before, after = {}, {}
        for name, value in data.items():
            if _plain(getattr(agency, name)) != _plain(value):
                before[name], after[name] = _plain(getattr(agency, name)), _plain(value)
                setattr(agency, name, value)
        if after:
            agency.save()
            act.detail.update(before=before, after=after)
        if "active" in after:
            act.action = "agency.activate" if agency.active else "agency.deactivate"
    return agency
