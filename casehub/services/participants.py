"""Joint handling (联合执法): the owning agency's head brings other agencies
onto a case as co-handlers or supporters, and ends their part."""

from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from agencies.roles import Role

from .. import access, audit
from ..events import publish
from ..models import CaseParticipant
from ..models.participant import ParticipantRole
from .cases import lock_case
from .errors import Refused
from .timeline import record_event


class ParticipationRefused(Refused):
    pass


def _require_head(actor, case):
    if Role.HEAD not in access.case_roles(actor, case):
        raise ParticipationRefused({"case": [_("The owning agency's head organises joint handling.")]}, forbidden=True)


def add(*, actor, case, agency, role: str, request=None) -> CaseParticipant:
    """`case`: the case or its id; `agency`: the agency or its id."""
    case_id = getattr(case, "pk", case)
    with audit.act(user=actor, action="case.add_participant", object_type="case", object_id=case_id,
                   request=request) as act:
        case = lock_case(actor, case_id, act)
        _require_head(actor, case)
        agency = agency if isinstance(agency, Agency) else Agency.objects.filter(pk=agency).first()
        if agency is None:
            raise ParticipationRefused({"agency": [_("No such agency.")]})
        act.detail.update(agency=agency.code, role=role)
        if role not in ParticipantRole.values:
            raise ParticipationRefused({"role": [_("Choose co_handler or supporter.")]})
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
        act.detail["participant_id"] = item.pk
        publish("case.participant_added", case_id=case.pk, agency_id=agency.pk, role=role, actor_id=actor.pk)
    return item


def end(*, actor, case, participant_id: int, request=None) -> CaseParticipant:
    """End an agency's part in a case (`case`: the case or its id)."""
    case_id = getattr(case, "pk", case)
    with audit.act(user=actor, action="case.end_participant", object_type="case", object_id=case_id,
                   request=request, detail={"participant_id": participant_id}) as act:
        case = lock_case(actor, case_id, act)
        _require_head(actor, case)
        item = case.participants.select_for_update().filter(pk=participant_id, ended_at__isnull=True).first()
        if item is None:
            raise Refused.missing()
        item.ended_at = timezone.now()
        item.save(update_fields=["ended_at"])
        # The agency keeps seeing the case only if something else gave it cause.
        access.settle_grant(case, item.agency)
        record_event(case, actor=actor, kind="participant_ended", summary=item.agency.name,
                     data={"agency": item.agency.code})
        act.detail["agency"] = item.agency.code
        # Subscribers must hear of it: the search index still lists the agency
        # among those that may see the case until it is rebuilt.
        publish("case.participant_ended", case_id=case.pk, agency_id=item.agency_id, actor_id=actor.pk)
    return item
