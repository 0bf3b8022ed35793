"""Reading the audit log: auditors and heads, of the agencies they audit.
Each read is itself audited (who looked at whose log, with which filters):
GB/T 22239-2019 8.1.4.3 asks that the audit records themselves be protected."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import access, audit
from ..models import AuditEntry
from .errors import Refused

_NOT_AN_AUDITOR = _("Only an agency's auditors and head read its audit log.")


def read_log(*, actor, filters: dict | None = None, request=None):
    """The entries the actor may read, as a queryset to filter and page:
    their agencies' own acts and every attempt on what those agencies own
    (an officer of another agency probing their case shows here too)."""
    agencies = access.audit_agency_ids(actor)
    with audit.act(user=actor, action="audit.read", object_type="audit", request=request,
                   detail={"filters": {k: str(v) for k, v in (filters or {}).items()}}) as act:
        if not agencies:
            raise Refused.deny(_NOT_AN_AUDITOR)
        act.about(agency_id=min(agencies))
        act.detail["agencies"] = sorted(agencies)
    return AuditEntry.objects.filter(Q(agency_id__in=agencies) | Q(owner_agency_id__in=agencies))
