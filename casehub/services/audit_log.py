"""Reading the audit log: auditors and heads, of the agencies they audit.
Each read is itself audited (who looked at whose log, with which filters):
GB/T 22239-2019 8.1.4.3 asks that the audit records themselves be protected."""

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from .. import access, audit
from ..models import AssistanceRequest, AuditEntry, EvidenceFile, Transfer
from .attempts import on, refuse
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


def _ids_of(queryset):
    """A subquery of ids as the text object_id holds them."""
    return queryset.annotate(text_id=Cast("pk", CharField())).values("text_id")


def read_case_log(*, actor, case, request=None):
    """A case's entries (the case's own acts, and those on its files,
    transfers and assistance requests) for the owning agency's auditors and
    head: an audited read like read_log. Anyone else, who may see the case
    or not, is refused as not found (audited) — its log does not exist for
    them. `case`: one the actor may see (services.cases.find_case)."""
    if case.owning_agency_id not in access.audit_agency_ids(actor):
        refuse(on("case", case.pk, "audit.read"), Refused.missing(), actor=actor, request=request)
    entries = read_log(actor=actor, filters={"case": case.pk}, request=request)
    return entries.filter(
        Q(object_type="case", object_id=str(case.pk))
        | Q(object_type="file", object_id__in=_ids_of(EvidenceFile.objects.filter(case_id=case.pk)))
        | Q(object_type="transfer", object_id__in=_ids_of(Transfer.objects.filter(case_id=case.pk)))
        | Q(object_type="assistance", object_id__in=_ids_of(AssistanceRequest.objects.filter(case_id=case.pk)))
    )
