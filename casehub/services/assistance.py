from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from agencies.roles import Role

from .. import access, audit
from ..events import publish
from ..models import AssistanceRequest, AssistanceStatus
from ..rules.workflow import HANDLERS
from . import evidence
from .attempts import find_visible
from .cases import lock_case
from .errors import Refused
from .timeline import record_event

ANSWERERS = frozenset({Role.OFFICER, Role.REVIEWER, Role.HEAD, Role.LIAISON})


class AssistanceRefused(Refused):
    pass


def _publish(request_: AssistanceRequest, event: str, actor) -> None:
    publish(f"assistance.{event}", assistance_id=request_.pk, case_id=request_.case_id, status=request_.status,
            from_agency_id=request_.from_agency_id, to_agency_id=request_.to_agency_id, actor_id=actor.pk)


def find_request(*, actor, item_id, action: str, request=None, queryset=None) -> AssistanceRequest:
    """A request as the actor may see it (the asking and the asked agency);
    otherwise a 404, audited as a denied attempt on the asking agency."""
    rows = queryset if queryset is not None else AssistanceRequest.objects.all()
    return find_visible(access.visible_assistance(actor, rows), actor=actor, object_type="assistance",
                        object_id=item_id, action=action, request=request)


def ask(*, actor, case, to_agency, subject: str, details: str, due_on, request=None) -> AssistanceRequest:
    """Ask another agency (or its id) to verify something for a case (or its id) by a date."""
    case_id = getattr(case, "pk", case)
    with audit.act(user=actor, action="assistance.ask", object_type="case", object_id=case_id,
                   request=request) as act:
        case = lock_case(actor, case_id, act, lock=False)
        if not access.case_roles(actor, case) & HANDLERS:
            raise AssistanceRefused({"case": [_("Only the owning agency's handlers ask for assistance.")]},
                                    forbidden=True)
        to_agency = to_agency if isinstance(to_agency, Agency) else Agency.objects.filter(pk=to_agency).first()
        errors = {}
        if to_agency is None:
            errors["to_agency"] = [_("No such agency.")]
        elif to_agency.pk == case.owning_agency_id:
            errors["to_agency"] = [_("Ask another agency.")]
        elif not to_agency.active:
            errors["to_agency"] = [_("The agency is not active.")]
        if due_on is None or due_on <= timezone.localdate():
            errors["due_on"] = [_("The due date must be in the future.")]
        if errors:
            raise AssistanceRefused(errors)
        item = AssistanceRequest.objects.create(case=case, from_agency_id=case.owning_agency_id, to_agency=to_agency,
                                                subject=subject, details=details, due_on=due_on, requested_by=actor)
        record_event(case, actor=actor, kind="assistance_requested", summary=subject,
                     data={"assistance_id": item.pk, "to_agency": to_agency.code, "due_on": str(due_on)})
        act.about(item, object_type="assistance", owner_agency_id=case.owning_agency_id,
                  agency_id=case.owning_agency_id)
        act.detail.update(case_id=case.pk, to_agency=to_agency.code)
        _publish(item, "requested", actor)
    return item


def _lock_for_receiver(actor, item_id, act: audit.Act) -> AssistanceRequest:
    item = None
    if str(item_id).isdigit():
        item = AssistanceRequest.objects.select_for_update().select_related("case").filter(pk=item_id).first()
    if item is None or not access.can_see_assistance(actor, item):
        act.about(object_id=item_id, owner_agency_id=item.from_agency_id if item else None)
        raise Refused.missing()
    act.about(item, owner_agency_id=item.from_agency_id,
              agency_id=item.to_agency_id if item.to_agency_id in access.agency_ids(actor) else item.from_agency_id)
    act.detail["case_id"] = item.case_id
    if not access.roles_in(actor, item.to_agency_id) & ANSWERERS:
        raise AssistanceRefused({"assistance": [_("Only the asked agency answers.")]}, forbidden=True)
    if item.status != AssistanceStatus.OPEN:
        raise AssistanceRefused({"assistance": [_("This request has already been answered or declined.")]},
                                conflict=True)
    return item


def answer(*, actor, item_id: int, text: str, uploads=(), request=None) -> AssistanceRequest:
    """Record the answer; its files join the case. Every file is checked
    before anything is stored."""
    with audit.act(user=actor, action="assistance.answer", object_type="assistance", object_id=item_id,
                   request=request) as act:
        item = _lock_for_receiver(actor, item_id, act)
        for uploaded in uploads:
            try:
                evidence.check_upload(uploaded)
            except evidence.FileRejected as rejected:
                # Reported against the answer's `files`, as the form names them.
                raise AssistanceRefused({"files": [m for ms in rejected.errors.values() for m in ms]}) from None
        now = timezone.now()
        item.status, item.answer, item.answered_by, item.answered_at = AssistanceStatus.ANSWERED, text, actor, now
        item.answered_late = timezone.localtime(now).date() > item.due_on
        item.save()
        stored = [evidence.store(actor=actor, case=item.case, uploaded=uploaded, agency_id=item.to_agency_id,
                                 description=item.subject) for uploaded in uploads]
        item.files.add(*stored)
        record_event(item.case, actor=actor, kind="assistance_answered", summary=item.subject,
                     data={"assistance_id": item.pk, "late": item.answered_late, "files": len(stored)},
                     agency_id=item.to_agency_id)
        act.detail.update(late=item.answered_late, files=[f.pk for f in stored])
        _publish(item, "answered", actor)
    return item


def decline(*, actor, item_id: int, reason: str, request=None) -> AssistanceRequest:
    with audit.act(user=actor, action="assistance.decline", object_type="assistance", object_id=item_id,
                   request=request) as act:
        item = _lock_for_receiver(actor, item_id, act)
        item.status, item.answer, item.answered_by, item.answered_at = (
            AssistanceStatus.DECLINED, reason, actor, timezone.now())
        item.save()
        record_event(item.case, actor=actor, kind="assistance_declined", summary=reason[:300],
                     data={"assistance_id": item.pk}, agency_id=item.to_agency_id)
        _publish(item, "declined", actor)
    return item
