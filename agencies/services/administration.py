"""Who administers an agency's people (memberships, service accounts):
its agency administrators, and platform administrators for every agency.

Asked before anything in the input is looked at: a caller who administers
no agency, or not the agency they name, is refused the same way whatever
else they sent, so the answer cannot tell them whether a username exists."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casehub import access, audit
from casehub.rules.refusal import Refused

from .input import pk_of
from .scope import existing_agency_id, on_agency

NOT_AN_ADMINISTRATOR = _("Only an agency administrator manages its members and service accounts.")
NOT_THIS_AGENCY = _("You do not administer this agency.")


def require_administrator(actor) -> None:
    managed = access.managed_agency_ids(actor)
    if managed is not None and not managed:
        raise Refused.deny(NOT_AN_ADMINISTRATOR)


def require_named_agency(act: audit.Act, raw_agency) -> None:
    """The agency the input names, before the rest of the input is read:
    one the actor administers, or a 403 (audited against that agency)."""
    on_agency(act, existing_agency_id(raw_agency))  # its auditors see the attempt
    require_administrator(act.user)
    agency_id = pk_of(raw_agency)
    if agency_id is not None and not access.can_manage_members(act.user, agency_id):
        raise Refused.deny(NOT_THIS_AGENCY)


def managed(actor, agency_id: int) -> bool:
    return access.can_manage_members(actor, agency_id)
