from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.roles import Role

from .. import access, audit
from ..events import publish
from ..models import Case, CaseParticipant
from .errors import Refused
from .timeline import record_event


class ParticipationRefused(Refused):
    pass


def _require_head(actor, case):
    if Role.HEAD not in access.case_roles(actor, case):
        raise ParticipationRefused({"case": [_("The owning agency's head organises joint handling.")]}, forbidden=True)


@transaction.atomic
def add(*, actor, case: Case, agency, role: str, request=None) -> CaseParticipant:
    _require_head(actor, case)
    if agency.pk == case.owning_agency_id:
        raise ParticipationRefused({"agency": [_("The owning agency leads the case already.")]})
    if not agency.active:
        raise ParticipationRefused({"agency": [_("The agency is not active.")]})
    if case.participants.filter(agency=agency, ended_at__isnull=True).exists():
        raise ParticipationRefused({"agency": [_("This agency already works on the case.")]})
    item = CaseParticipant.objects.create(case=case, agency=agency, role=role, added_by=actor)
    access.grant_case(case, agency)
    record_event(case, actor=actor, kind="participant_added", summary=agency.name,
                 data={"agency": agency.code, "role": role})
    audit.record(user=actor, action="case.add_participant", object_type="case", object_id=case.pk, request=request,
                 agency_id=case.owning_agency_id, detail={"agency": agency.code, "role": role})
    publish("case.participant_added", case_id=case.pk, agency_id=agency.pk, role=role, actor_id=actor.pk)
    return item


@transaction.atomic
def end(*, actor, case: Case, participant_id: int, request=None) -> CaseParticipant:
    _require_head(actor, case)
    item = case.participants.select_for_update().get(pk=participant_id, ended_at__isnull=True)
    item.ended_at = timezone.now()
    item.save(update_fields=["ended_at"])
    # The agency keeps seeing the case only if something else gave it cause.
    access.settle_grant(case, item.agency)
    record_event(case, actor=actor, kind="participant_ended", summary=item.agency.name,
                 data={"agency": item.agency.code})
    audit.record(user=actor, action="case.end_participant", object_type="case", object_id=case.pk, request=request,
                 agency_id=case.owning_agency_id, detail={"agency": item.agency.code})
    # Subscribers must hear of it: the search index still lists the agency
    # among those that may see the case until it is rebuilt.
    publish("case.participant_ended", case_id=case.pk, agency_id=item.agency_id, actor_id=actor.pk)
    return item
