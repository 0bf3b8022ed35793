from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.roles import Role

from .. import access, audit
from ..events import publish
from ..models import AssistanceRequest, AssistanceStatus, Case
from ..rules.workflow import HANDLERS
from . import evidence
from .errors import Refused
from .timeline import record_event

ANSWERERS = frozenset({Role.OFFICER, Role.REVIEWER, Role.HEAD, Role.LIAISON})


class AssistanceRefused(Refused):
    pass


def _publish(request_: AssistanceRequest, event: str, actor) -> None:
    publish(f"assistance.{event}", assistance_id=request_.pk, case_id=request_.case_id, status=request_.status,
            from_agency_id=request_.from_agency_id, to_agency_id=request_.to_agency_id, actor_id=actor.pk)


@transaction.atomic
def ask(*, actor, case: Case, to_agency, subject: str, details: str, due_on, request=None) -> AssistanceRequest:
    if not access.case_roles(actor, case) & HANDLERS:
        raise AssistanceRefused({"case": [_("Only the owning agency's handlers ask for assistance.")]}, forbidden=True)
    errors = {}
    if to_agency.pk == case.owning_agency_id:
        errors["to_agency"] = [_("Ask another agency.")]
    elif not to_agency.active:
        errors["to_agency"] = [_("The agency is not active.")]
    if due_on <= timezone.localdate():
        errors["due_on"] = [_("The due date must be in the future.")]
    if errors:
        raise AssistanceRefused(errors)
    item = AssistanceRequest.objects.create(case=case, from_agency_id=case.owning_agency_id, to_agency=to_agency,
                                            subject=subject, details=details, due_on=due_on, requested_by=actor)
    record_event(case, actor=actor, kind="assistance_requested", summary=subject,
                 data={"assistance_id": item.pk, "to_agency": to_agency.code, "due_on": str(due_on)})
    audit.record(user=actor, action="assistance.ask", object_type="assistance", object_id=item.pk, request=request,
                 agency_id=case.owning_agency_id)
    _publish(item, "requested", actor)
    return item


def _lock_for_receiver(actor, item_id: int) -> AssistanceRequest:
    item = AssistanceRequest.objects.select_for_update().select_related("case").get(pk=item_id)
    if not access.roles_in(actor, item.to_agency_id) & ANSWERERS:
        raise AssistanceRefused({"assistance": [_("Only the asked agency answers.")]}, forbidden=True)
    if item.status != AssistanceStatus.OPEN:
        raise AssistanceRefused({"assistance": [_("This request has already been answered or declined.")]},
                                conflict=True)
    return item


@transaction.atomic
def answer(*, actor, item_id: int, text: str, uploads=(), request=None) -> AssistanceRequest:
    """Record the answer; its files join the case. Every file is checked
    before anything is stored."""
    item = _lock_for_receiver(actor, item_id)
    for uploaded in uploads:
        evidence.check_upload(uploaded)
    now = timezone.now()
    item.status, item.answer, item.answered_by, item.answered_at = AssistanceStatus.ANSWERED, text, actor, now
    item.answered_late = timezone.localtime(now).date() > item.due_on
    item.save()
    for uploaded in uploads:
        item.files.add(evidence.store(actor=actor, case=item.case, uploaded=uploaded, agency_id=item.to_agency_id,
                                      description=item.subject, request=request))
    record_event(item.case, actor=actor, kind="assistance_answered", summary=item.subject,
                 data={"assistance_id": item.pk, "late": item.answered_late, "files": item.files.count()},
                 agency_id=item.to_agency_id)
    audit.record(user=actor, action="assistance.answer", object_type="assistance", object_id=item.pk,
                 request=request, agency_id=item.to_agency_id, detail={"late": item.answered_late})
    _publish(item, "answered", actor)
    return item


@transaction.atomic
def decline(*, actor, item_id: int, reason: str, request=None) -> AssistanceRequest:
    item = _lock_for_receiver(actor, item_id)
    item.status, item.answer, item.answered_by, item.answered_at = AssistanceStatus.DECLINED, reason, actor, timezone.now()
    item.save()
    record_event(item.case, actor=actor, kind="assistance_declined", summary=reason[:300],
                 data={"assistance_id": item.pk}, agency_id=item.to_agency_id)
    audit.record(user=actor, action="assistance.decline", object_type="assistance", object_id=item.pk,
                 request=request, agency_id=item.to_agency_id)
    _publish(item, "declined", actor)
    return item
