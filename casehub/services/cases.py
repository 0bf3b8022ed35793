from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import access, audit
from ..events import publish
from ..models import Case, ClockStop, DeadlineExtension, Note, Party
from ..numbering import next_case_number
from ..rules import workflow
from ..rules.workflow import CaseFacts
from ..vocabulary import PartyRole
from . import deadlines
from .errors import Conflict, Refused
from .timeline import record_event

# Fields an edit may change, and how a value is shown in the timeline.
EDITABLE = (
    "title", "ip_type", "kind", "source", "region", "facts", "amount_involved", "seized_goods", "campaign",
    "lead_officer", "lead_received_on",
)


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (Decimal, date)):
        return str(value)
    return value


def _case_event(event: str, case: Case, actor, **extra) -> None:
    publish(
        f"case.{event}", case_id=case.pk, version=case.version, agency_id=case.owning_agency_id,
        actor_id=actor.pk if actor else None, status=case.status, **extra,
    )


def create_case(*, actor, agency, data: dict, handlers=(), request=None) -> Case:
    with audit.act(user=actor, action="case.create", object_type="case", request=request, agency_id=agency.pk,
                   owner_agency_id=agency.pk) as act:
        case = _create_case(actor, agency, data, handlers)
        act.about(case)
    return case


def _create_case(actor, agency, data: dict, handlers) -> Case:
    case = Case(owning_agency=agency, created_by=actor, **data)
    case.number = next_case_number(agency, (case.lead_received_on or timezone.localdate()).year)
    deadlines.refresh(case)
    case.save()
    case.handlers.set({*handlers, case.lead_officer})
    record_event(case, actor=actor, kind="created", summary=case.title, data={"number": case.number})
    assigned = {*(h.pk for h in handlers), case.lead_officer_id} - {None}
    _case_event("created", case, actor, assigned=sorted(assigned))
    return case


def _owner_of(case_id) -> int | None:
    """The agency owning a case, whoever asks: a refused attempt on it is
    shown to that agency's auditors too."""
    if not str(case_id).isdigit():
        return None
    return Case.objects.filter(pk=case_id).values_list("owning_agency_id", flat=True).first()


def find_case(*, actor, case_id, action: str, request=None, queryset=None) -> Case:
    """The case as the actor may see it. A case they may not see does not
    exist for them: a 404, audited as a denied attempt on its owner."""
    case = None
    if str(case_id).isdigit():
        case = access.visible_cases(actor, queryset if queryset is not None else Case.objects.all()).filter(
            pk=case_id).first()
    if case is None:
        with audit.act(user=actor, action=f"case.{action}", object_type="case", object_id=case_id,
                       request=request, owner_agency_id=_owner_of(case_id)):
            raise Refused.missing()
    return case


def read_case(*, actor, case_id, request=None, queryset=None) -> Case:
    """A case's detail, which names its parties: every read is audited."""
    case = find_case(actor=actor, case_id=case_id, action="read", request=request, queryset=queryset)
    with audit.act(user=actor, action="case.read", object_type="case", request=request) as act:
        act.about(case, case=case)
    return case


def _lock(actor, case_id: int, expected_version: int | None, act: audit.Act) -> Case:
    """The case, locked for the act, if the actor may see it."""
    case = Case.objects.select_for_update().filter(pk=case_id).first() if str(case_id).isdigit() else None
    if case is None or not access.can_see_case(actor, case):
        act.about(object_id=case_id, owner_agency_id=case.owning_agency_id if case else None)
        raise Refused.missing()
    act.about(case, case=case)
    if expected_version is not None and case.version != expected_version:
        raise Conflict(case.version)
    return case


_EDIT_REFUSED = _("Only the owning agency's handlers edit an open case.")
_CONTRIBUTE_REFUSED = _("Only the owning agency's handlers add parties to an open case.")


def update_case(*, actor, case_id: int, expected_version: int, changes: dict, handlers=None, request=None) -> Case:
    with audit.act(user=actor, action="case.update", object_type="case", object_id=case_id, request=request) as act:
        return _update_case(actor, _lock(actor, case_id, expected_version, act), changes, handlers, act)


def _update_case(actor, case: Case, changes: dict, handlers, act: audit.Act) -> Case:
    if not access.can_edit_case(actor, case):
        raise Refused.deny(_EDIT_REFUSED)
    before, after = {}, {}
    for name, value in changes.items():
        old = getattr(case, name)
        if _plain(old) != _plain(value):
            before[name], after[name] = _plain(old), _plain(value)
            setattr(case, name, value)
    if handlers is not None:
        old_ids = sorted(case.handlers.values_list("pk", flat=True))
        new_ids = sorted({h.pk for h in handlers} | {case.lead_officer_id})
        if old_ids != new_ids:
            before["handlers"], after["handlers"] = old_ids, new_ids
            case.handlers.set(new_ids)
    if not after:
        return case
    case.version += 1
    deadlines.refresh(case)
    case.save()
    record_event(case, actor=actor, kind="edited", data={"before": before, "after": after})
    act.detail["fields"] = sorted(after)
    # Who was newly put on the case, for "assigned to me" notices.
    assigned = set(after.get("handlers", ())) - set(before.get("handlers", ()))
    if "lead_officer" in after:
        assigned.add(after["lead_officer"])
    _case_event("updated", case, actor, fields=sorted(after), assigned=sorted(assigned))
    return case


def case_facts(case: Case) -> CaseFacts:
    return CaseFacts(
        status=case.status,
        kind=case.kind,
        handler_count=case.handlers.count(),
        outcome=case.outcome or None,
        status_before_suspension=case.status_before_suspension or None,
        clock_stopped=case.clock_stops.filter(restarted_on__isnull=True).exists(),
    )


def apply_action(*, actor, case_id: int, name: str, data: dict, expected_version: int | None = None,
                 request=None) -> Case:
    """Take a workflow action. Raises Refused (workflow's refusals, Conflict);
    nothing is written unless every check passes, and the act is audited
    either way."""
    with audit.act(user=actor, action=f"case.{name}", object_type="case", object_id=case_id,
                   request=request) as act:
        case = _lock(actor, case_id, expected_version, act)
        action, target = workflow.plan(name, case_facts(case), access.case_roles(actor, case), data)
        today = timezone.localdate()
        _EFFECTS[name](case, actor, data, today)
        if action.name == "suspend":
            case.status_before_suspension = case.status
        case.status = target
        case.version += 1
        deadlines.refresh(case)
        case.save()
        record_event(case, actor=actor, kind=action.event, summary=str(action.label), data=_plain_data(data))
        _case_event(action.event, case, actor, action=name)
    return case


def _plain_data(data: dict) -> dict:
    return {k: [_plain(v) for v in value] if isinstance(value, list) else _plain(value) for k, value in data.items()}


def _file(case, actor, data, today):
    case.filed_on = data.get("filed_on") or today


def _refuse_filing(case, actor, data, today):
    case.not_filed_reason = data["reason"]


def _decide(case, actor, data, today):
    case.outcome = data["outcome"]
    case.decision_date = data["decision_date"]
    case.decision_number = data.get("decision_number", "")
    case.penalties = list(data.get("penalties") or [])
    case.fine_amount = data.get("fine_amount")
    case.confiscated_amount = data.get("confiscated_amount")
    case.legal_basis = data.get("legal_basis", "")
    case.decision_reason = data.get("reason", "")


def _close(case, actor, data, today):
    case.closed_on = today


def _suspend(case, actor, data, today):
    # Suspension does not count toward the deadlines.
    ClockStop.objects.get_or_create(
        case=case, restarted_on=None, defaults={"reason": "suspension", "stopped_on": today}
    )


def _resume(case, actor, data, today):
    ClockStop.objects.filter(case=case, restarted_on__isnull=True).update(restarted_on=today)
    case.status_before_suspension = ""


def _stop_clock(case, actor, data, today):
    ClockStop.objects.create(case=case, reason=data["reason"], stopped_on=today)


def _restart_clock(case, actor, data, today):
    ClockStop.objects.filter(case=case, restarted_on__isnull=True).update(restarted_on=today)


def _extend(case, actor, data, today):
    from ..rules.deadlines import extension_allowed

    days = extension_allowed(data["deadline"], deadlines.facts_of(case))
    if days is None or data["deadline"] != (case.next_deadline or data["deadline"]):
        raise workflow.GuardFailed(str(_NO_MORE_EXTENSION))
    DeadlineExtension.objects.create(case=case, deadline=data["deadline"], days=days, reason=data["reason"],
                                     approved_by=actor)


def _set_collectively(case, actor, data, today):
    if not case.next_deadline:
        raise workflow.GuardFailed(str(_NO_MORE_EXTENSION))
    DeadlineExtension.objects.create(case=case, deadline=case.next_deadline, due_on=data["due_on"],
                                     meeting_date=data["meeting_date"], reason=data["reason"], approved_by=actor)


def _nothing(case, actor, data, today):
    pass


_NO_MORE_EXTENSION = _("This deadline cannot be extended again; the leadership may set it by collective decision.")

_EFFECTS = {
    "file": _file, "refuse_filing": _refuse_filing, "start_investigation": _nothing,
    "submit_for_review": _nothing, "return_for_investigation": _nothing, "decide": _decide,
    "start_execution": _nothing, "close": _close, "suspend": _suspend, "resume": _resume,
    "withdraw": _nothing, "stop_clock": _stop_clock, "restart_clock": _restart_clock,
    "extend_deadline": _extend, "set_deadline_collectively": _set_collectively,
}


def add_party(*, actor, case: Case, data: dict, request=None) -> Party:
    with audit.act(user=actor, action="case.add_party", object_type="case", object_id=case.pk,
                   request=request) as act:
        case = _lock(actor, case.pk, None, act)
        if not access.can_contribute(actor, case):
            raise Refused.deny(_CONTRIBUTE_REFUSED)
        party = Party.objects.create(case=case, **data)
        case.version += 1
        case.save(update_fields=["version", "updated_at"])
        if party.role == PartyRole.INFORMANT:
            # The timeline is read by every agency that sees the case; an
            # informant's identity is not.
            shown, summary = {"role": party.role}, str(PartyRole.INFORMANT.label)
        else:
            shown = {"role": party.role, "kind": party.kind, "name": party.name, "credit_code": party.credit_code}
            summary = party.name
        record_event(case, actor=actor, kind="party_added", summary=summary, data=shown)
        act.detail["party_id"] = party.pk
        _case_event("party_added", case, actor, party_id=party.pk)
    return party


def add_note(*, actor, case: Case, text: str, request=None) -> Note:
    with audit.act(user=actor, action="case.add_note", object_type="case", object_id=case.pk,
                   request=request) as act:
        case = _lock(actor, case.pk, None, act)
        note = Note.objects.create(case=case, author=actor, agency_id=act.agency_id, text=text)
        record_event(case, actor=actor, kind="note", summary=text[:120], data={"note_id": note.pk},
                     agency_id=note.agency_id)
        act.detail["note_id"] = note.pk
        _case_event("note_added", case, actor, note_id=note.pk)
    return note
