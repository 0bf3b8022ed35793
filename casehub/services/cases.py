from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, User

from .. import access, audit
from ..events import publish
from ..models import Case, ClockStop, DeadlineExtension, Note, Party
from ..numbering import next_case_number
from ..rules import case_record, workflow
from ..rules.workflow import CaseFacts
from ..vocabulary import PartyRole
from . import deadlines
from .attempts import find_visible, owner_of
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


def _pk(obj):
    """Services take an object or its id."""
    return getattr(obj, "pk", obj)


def create_case(*, actor, data: dict, agency=None, handlers=(), parties=(), request=None) -> Case:
    """Open a case for `agency` (by default the actor's only agency where they
    handle cases), with its parties, as one act: nothing is stored unless
    every rule passes. `lead_officer` (default: the actor) and `handlers`
    are users or usernames, members of the owning agency."""
    agency_id = _pk(agency)
    with audit.act(user=actor, action="case.create", object_type="case", request=request, agency_id=agency_id,
                   owner_agency_id=agency_id) as act:
        agency = _opening_agency(actor, agency_id)
        act.about(owner_agency_id=agency.pk, agency_id=agency.pk)
        data = dict(data)
        errors = {name: [str(_("Unknown field."))] for name in sorted(set(data) - set(EDITABLE))}
        errors.update(case_record.record_errors(data, today=timezone.localdate()))
        people = _agency_members(agency, data.pop("lead_officer", None) or actor, handlers, errors)
        cleaned = [case_record.clean_party(party) for party in parties]
        if any(problems for _, problems in cleaned):
            errors["parties"] = [problems for _, problems in cleaned]
        if errors:
            raise Refused(errors)
        lead, handlers = people
        case = _create_case(actor, agency, {**data, "lead_officer": lead}, handlers)
        act.about(case)
        for party, _problems in cleaned:
            add_party(actor=actor, case=case, data=party, request=request)
    return case


_NO_OPENING_ROLE = _("Your roles open no cases: only officers, reviewers and heads do.")


def opening_agency_ids(actor) -> set[int]:
    """The agencies the actor may open cases for (a form offers them);
    refused, with the reason, when their roles open none."""
    mine = access.case_opening_agency_ids(actor)
    if not mine:
        raise Refused.deny(_NO_OPENING_ROLE)
    return mine


def _opening_agency(actor, agency_id) -> Agency:
    """Who may open a case for which agency: one where they handle cases."""
    mine = opening_agency_ids(actor)
    if agency_id is None:
        if len(mine) != 1:
            raise Refused.invalid("agency", _("Name the agency that owns the case."))
        agency_id = next(iter(mine))
    elif agency_id not in mine:
        raise Refused.invalid("agency", _("You cannot open cases for this agency."))
    agency = Agency.objects.filter(pk=agency_id, active=True).first()
    if agency is None:
        raise Refused.invalid("agency", _("The agency is not active."))
    return agency


def _username(person) -> str:
    return person.username if hasattr(person, "username") else str(person)


def _agency_members(agency, lead, handlers, errors: dict) -> tuple:
    """The lead officer and handlers (users or usernames) as users, if each
    is a current member of the owning agency; otherwise errors by field. An
    unknown name and a stranger's are refused alike."""
    wanted = {_username(p) for p in (lead, *handlers) if p is not None}
    members = {u.username: u for u in User.objects.filter(
        username__in=wanted, memberships__agency=agency, memberships__ended_at__isnull=True).distinct()}
    if lead is not None and _username(lead) not in members:
        errors["lead_officer"] = [str(_("The lead officer must belong to the owning agency."))]
    strangers = sorted({_username(h) for h in handlers} - set(members))
    if strangers:
        errors["handlers"] = [str(_("Not members of the owning agency: %(names)s") % {"names": ", ".join(strangers)})]
    return (members.get(_username(lead)) if lead is not None else None,
            [members[_username(h)] for h in handlers if _username(h) in members])


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


def find_case(*, actor, case_id, action: str, request=None, queryset=None) -> Case:
    """The case as the actor may see it. A case they may not see does not
    exist for them: a 404, audited as a denied attempt on its owner."""
    rows = queryset if queryset is not None else Case.objects.all()
    return find_visible(access.visible_cases(actor, rows), actor=actor, object_type="case", object_id=case_id,
                        action=action, request=request)


def parties_shown(actor, case: Case, parties) -> dict:
    """Which parties' personal data a reader is shown in full: resident ID
    numbers (the owning agency) and informants (its reviewers and head).
    The audit entry of the read keeps these ids."""
    full_ids, informants = access.can_see_full_id_numbers(actor, case), access.can_see_informants(actor, case)
    return {
        "id_numbers_shown": [p.pk for p in parties if p.id_number and full_ids
                             and (p.role != PartyRole.INFORMANT or informants)],
        "informants_shown": [p.pk for p in parties if p.role == PartyRole.INFORMANT and informants],
    }


def read_case(*, actor, case_id, request=None, queryset=None) -> Case:
    """A case's detail, which names its parties: every read is audited, with
    whose ID numbers and informants it showed."""
    case = find_case(actor=actor, case_id=case_id, action="read", request=request, queryset=queryset)
    with audit.act(user=actor, action="case.read", object_type="case", request=request) as act:
        act.about(case, case=case)
        act.detail.update(parties_shown(actor, case, case.parties.all()))
    return case


def read_parties(*, actor, case_id, request=None) -> tuple[Case, list[Party]]:
    """A case's parties (full ID numbers and informants for those who may
    see them): audited like the detail."""
    case = find_case(actor=actor, case_id=case_id, action="read_parties", request=request)
    parties = list(case.parties.all())
    with audit.act(user=actor, action="case.read_parties", object_type="case", request=request) as act:
        act.about(case, case=case)
        act.detail.update(parties_shown(actor, case, parties))
    return case, parties


def read_case_in_admin(*, actor, case_id, request=None) -> None:
    """A platform administrator read a case (and its parties' names) in the
    admin site, which shows it read-only to them whatever their agency."""
    with audit.act(user=actor, action="case.read", object_type="case", object_id=case_id, request=request,
                   owner_agency_id=owner_of("case", case_id), detail={"via": "admin"}) as act:
        if not access.is_platform_admin(actor):
            raise Refused.deny(_("Only platform administrators use the admin site."))
        act.detail["id_numbers_shown"], act.detail["informants_shown"] = [], []


def lock_case(actor, case_id, act: audit.Act, *, lock: bool = True) -> Case:
    """The case for an act, locked, if the actor may see it; a 404 (denied,
    on its owner) if not."""
    case = None
    if str(case_id).isdigit():
        rows = Case.objects.select_for_update() if lock else Case.objects.all()
        case = rows.filter(pk=case_id).first()
    if case is None or not access.can_see_case(actor, case):
        act.about(object_id=case_id, owner_agency_id=case.owning_agency_id if case else None)
        raise Refused.missing()
    act.about(case, case=case)
    return case


def _check_version(case: Case, expected_version: int | None) -> None:
    if expected_version is not None and case.version != expected_version:
        raise Conflict(case.version)


_EDIT_REFUSED = _("Only the owning agency's handlers edit an open case.")
_CONTRIBUTE_REFUSED = _("Only the owning agency's handlers add parties to an open case.")


def update_case(*, actor, case_id: int, expected_version: int, changes: dict, handlers=None, request=None) -> Case:
    """Edit a case's fields (a new lead officer and `handlers`: users or
    usernames of the owning agency)."""
    with audit.act(user=actor, action="case.update", object_type="case", object_id=case_id, request=request) as act:
        case = lock_case(actor, case_id, act)
        if not access.can_edit_case(actor, case):
            raise Refused.deny(_EDIT_REFUSED)
        _check_version(case, expected_version)
        changes = dict(changes)
        errors = {name: [str(_("This cannot be changed here."))] for name in sorted(set(changes) - set(EDITABLE))}
        errors.update(case_record.record_errors(changes, today=timezone.localdate()))
        if "lead_officer" in changes or handlers is not None:
            lead = (changes["lead_officer"] or "") if "lead_officer" in changes else None
            lead, members = _agency_members(case.owning_agency, lead, handlers or (), errors)
            if "lead_officer" in changes:
                changes["lead_officer"] = lead
            if handlers is not None:
                handlers = members
        if errors:
            raise Refused(errors)
        return _update_case(actor, case, changes, handlers, act)


def _update_case(actor, case: Case, changes: dict, handlers, act: audit.Act) -> Case:
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


def transition_act(name) -> str:
    """How a workflow action is named in the audit log."""
    return f"case.{name}" if isinstance(name, str) and name in workflow.ACTIONS else "case.transition"


def apply_action(*, actor, case_id: int, name: str, data: dict, expected_version: int | None = None,
                 request=None) -> Case:
    """Take a workflow action. Raises Refused (workflow's refusals, the
    record's date and reason rules, Conflict); nothing is written unless
    every check passes, and the act is audited either way."""
    with audit.act(user=actor, action=transition_act(name), object_type="case", object_id=case_id,
                   request=request) as act:
        case = lock_case(actor, case_id, act)
        action, target = workflow.plan(name, case_facts(case), access.case_roles(actor, case), data)
        _check_version(case, expected_version)
        today = timezone.localdate()
        errors = case_record.action_errors(name, data, today=today, lead_received_on=case.lead_received_on,
                                           filed_on=case.filed_on)
        if errors:
            raise Refused(errors)
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


def add_party(*, actor, case, data: dict, request=None) -> Party:
    """Record a party (`case`: the case or its id)."""
    with audit.act(user=actor, action="case.add_party", object_type="case", object_id=_pk(case),
                   request=request) as act:
        case = lock_case(actor, _pk(case), act)
        if not access.can_contribute(actor, case):
            raise Refused.deny(_CONTRIBUTE_REFUSED)
        data, errors = case_record.clean_party(data)
        if errors:
            raise Refused(errors)
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


def add_note(*, actor, case, text: str, request=None) -> Note:
    """Note on a case: any agency that sees it may (`case`: the case or its id)."""
    with audit.act(user=actor, action="case.add_note", object_type="case", object_id=_pk(case),
                   request=request) as act:
        case = lock_case(actor, _pk(case), act)
        if not text or not text.strip():
            raise Refused.invalid("text", _("Write the note."))
        note = Note.objects.create(case=case, author=actor, agency_id=act.agency_id, text=text)
        record_event(case, actor=actor, kind="note", summary=text[:120], data={"note_id": note.pk},
                     agency_id=note.agency_id)
        act.detail["note_id"] = note.pk
        _case_event("note_added", case, actor, note_id=note.pk)
    return note
