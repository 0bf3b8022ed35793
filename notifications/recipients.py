"""Who is told what: each domain event becomes notices, each naming the
people it concerns, the agencies whose members may opt in to hear of all
such events, and the agencies allowed to see what it is about (from the
access module: nobody is told of a case they may not open)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agencies.models import Agency, User
from agencies.roles import Role
from casehub import access
from casehub.events.bus import Event
from casehub.models import AssistanceRequest, Case, Note, Transfer

from .kinds import Kind

ROUTERS = frozenset({Role.LIAISON, Role.HEAD})


@dataclass
class Notice:
    kind: str
    visible_to: set[int]  # agencies whose members may see the subject
    personal: set[int] = field(default_factory=set)  # user ids it concerns
    agencies: set[int] = field(default_factory=set)  # whose members may opt in to all of this kind
    agency_id: int | None = None  # in whose name the recipient is told
    case_id: int | None = None
    actor_id: int | None = None
    params: dict = field(default_factory=dict)  # the text's placeholders
    link: dict = field(default_factory=dict)  # what the client opens


def notices_for(event: Event) -> list[Notice]:
    handler = _HANDLERS.get(event.type)
    return handler(event.payload) if handler else []


def _case(case_id: int) -> Case:
    return Case.objects.only("pk", "number", "title", "owning_agency_id", "lead_officer_id").get(pk=case_id)


def _case_people(case: Case) -> set[int]:
    return {*case.handlers.values_list("pk", flat=True), case.lead_officer_id} - {None}


def _case_notice(kind, case: Case, payload, personal, **extra) -> Notice:
    seeing = access.agencies_seeing_case(case.pk)
    return Notice(kind, seeing, set(personal), agencies=seeing, agency_id=case.owning_agency_id, case_id=case.pk,
                  actor_id=payload.get("actor_id"), params={"number": case.number, "title": case.title, **extra},
                  link={"case_id": case.pk})


def case_assigned(payload) -> list[Notice]:
    if not payload.get("assigned"):
        return []
    case = _case(payload["case_id"])
    return [_case_notice(Kind.CASE_ASSIGNED, case, payload, payload["assigned"])]


def case_decided(payload) -> list[Notice]:
    case = _case(payload["case_id"])
    return [_case_notice(Kind.CASE_DECIDED, case, payload, _case_people(case))]


def case_closed(payload) -> list[Notice]:
    case = _case(payload["case_id"])
    return [_case_notice(Kind.CASE_CLOSED, case, payload, _case_people(case))]


def deadline(payload, kind) -> list[Notice]:
    case = _case(payload["case_id"])
    people = _case_people(case)
    if kind == Kind.DEADLINE_OVERDUE:  # the head answers for a late case
        people |= access.current_members([case.owning_agency_id], roles=[Role.HEAD])
    notice = _case_notice(kind, case, payload, people, due_on=payload["due_on"], deadline=payload["deadline"])
    notice.link["alert_id"] = payload.get("alert_id")
    return [notice]


# A mention is @ followed by a username or a name; Chinese names run on into
# the sentence (@王芳请核实), so a known name may prefix the word.
MENTION = re.compile(r"@([\w.\-\u3400-\u9fff]{1,64})")


def mentioned_users(text: str, candidates: dict[int, tuple[str, str]]) -> set[int]:
    """Ids of the candidates (id -> (username, display name)) that the text
    mentions."""
    found = set()
    for word in MENTION.findall(text):
        for user_id, (username, name) in candidates.items():
            if word == username or (name and word.startswith(name)):
                found.add(user_id)
    return found


def can_be_mentioned_as(username: str) -> bool:
    """Whether "@username" reads as a mention of that user: the note form's
    completion offers only such names, so what it inserts is heard."""
    return MENTION.fullmatch(f"@{username}") is not None


def note_mentions(payload) -> list[Notice]:
    note = Note.objects.only("text").get(pk=payload["note_id"])
    if "@" not in note.text:
        return []
    case = _case(payload["case_id"])
    members = access.people_seeing_case(case.pk)
    candidates = {u.pk: (u.username, u.display_name)
                  for u in User.objects.filter(pk__in=members).only("pk", "username", "full_name", "first_name",
                                                                     "last_name")}
    people = mentioned_users(note.text, candidates)
    if not people:
        return []
    actor = candidates.get(payload.get("actor_id"), ("", ""))[1]
    notice = _case_notice(Kind.MENTIONED, case, payload, people, actor=actor)
    notice.agencies = set()  # a mention concerns only the people named
    notice.link["note_id"] = note.pk
    return [notice]


def _names(*agency_ids) -> dict[int, str]:
    return dict(Agency.objects.filter(pk__in=[a for a in agency_ids if a]).values_list("pk", "name"))


def transfer_notice(payload, kind) -> list[Notice]:
    transfer = Transfer.objects.select_related("case").get(pk=payload["transfer_id"])
    names = _names(transfer.from_agency_id, transfer.to_agency_id)
    to_sender = kind in (Kind.TRANSFER_PROPOSED, Kind.TRANSFER_ACCEPTED, Kind.TRANSFER_RETURNED,
                         Kind.TRANSFER_REFUSED)
    if kind == Kind.TRANSFER_PROPOSED:  # the head approves
        told_agency = transfer.from_agency_id
        people = access.current_members([told_agency], roles=[Role.HEAD])
    elif to_sender:
        told_agency = transfer.from_agency_id
        people = {transfer.proposed_by_id} | access.current_members([told_agency], roles=[Role.LIAISON])
    else:  # sent, resubmitted, reconsideration: the receiver's liaison and head route it
        told_agency = transfer.to_agency_id
        people = access.current_members([told_agency], roles=ROUTERS)
    visible = access.agencies_seeing_transfer(transfer) & access.agencies_seeing_case(transfer.case_id)
    return [Notice(
        kind, visible, people, agencies={told_agency}, agency_id=told_agency, case_id=transfer.case_id,
        actor_id=payload.get("actor_id"),
        params={"number": transfer.case.number, "from_agency": names.get(transfer.from_agency_id, ""),
                "to_agency": names.get(transfer.to_agency_id, "")},
        link={"case_id": transfer.case_id, "transfer_id": transfer.pk},
    )]


def supervision_opinion(payload) -> list[Notice]:
    transfer = Transfer.objects.select_related("case").get(pk=payload["transfer_id"])
    opinion = transfer.opinions.order_by("-pk").first()
    procuratorate = opinion.procuratorate_id if opinion else transfer.supervising_agency_id
    names = _names(procuratorate)
    visible = access.agencies_seeing_transfer(transfer) & access.agencies_seeing_case(transfer.case_id)
    notices = []
    for told in (transfer.to_agency_id, transfer.from_agency_id):  # who must answer, then who asked
        notices.append(Notice(
            Kind.SUPERVISION_OPINION, visible, access.current_members([told], roles=ROUTERS), agencies={told},
            agency_id=told, case_id=transfer.case_id, actor_id=payload.get("actor_id"),
            params={"number": transfer.case.number, "procuratorate": names.get(procuratorate, "")},
            link={"case_id": transfer.case_id, "transfer_id": transfer.pk,
                  "opinion_id": opinion.pk if opinion else None},
        ))
    return notices


def assistance_notice(payload, kind) -> list[Notice]:
    """The asked agency sees the request, not the case: the notice names the
    request only, and links no case. Asked: the asked agency's routers are
    told; answered or declined: the officer who asked."""
    item = AssistanceRequest.objects.get(pk=payload["assistance_id"])
    names = _names(item.from_agency_id, item.to_agency_id)
    if kind == Kind.ASSISTANCE_REQUESTED:
        told = item.to_agency_id
        people = access.current_members([told], roles=ROUTERS)
    else:
        told = item.from_agency_id
        people = {item.requested_by_id}
    return [Notice(
        kind, access.agencies_seeing_assistance(item), people, agencies={told}, agency_id=told,
        actor_id=payload.get("actor_id"),
        params={"subject": item.subject, "from_agency": names.get(item.from_agency_id, ""),
                "to_agency": names.get(item.to_agency_id, "")},
        link={"assistance_id": item.pk},
    )]


def disclosure_notice(payload, kind) -> list[Notice]:
    """A penalty decision awaiting publication (20 working days): the
    deciding agency's reviewers and head approve it, so they are told; the
    head too when it is late. The notice links the record, not the case."""
    from disclosure.models import DisclosureRecord

    record = DisclosureRecord.objects.only("pk", "agency_id", "decision_number", "party_name").get(
        pk=payload["record_id"])
    roles = [Role.REVIEWER, Role.HEAD]
    return [Notice(
        kind, {record.agency_id}, access.current_members([record.agency_id], roles=roles),
        agencies={record.agency_id}, agency_id=record.agency_id,
        params={"decision_number": record.decision_number, "party": record.party_name, "due_on": payload["due_on"]},
        link={"disclosure_id": record.pk},
    )]


_HANDLERS = {
    "case.created": case_assigned,
    "case.updated": case_assigned,
    "case.decided": case_decided,
    "case.closed": case_closed,
    "case.note_added": note_mentions,
    "case.deadline_due": lambda p: deadline(p, Kind.DEADLINE_DUE),
    "case.deadline_overdue": lambda p: deadline(p, Kind.DEADLINE_OVERDUE),
    "transfer.proposed": lambda p: transfer_notice(p, Kind.TRANSFER_PROPOSED),
    "transfer.send": lambda p: transfer_notice(p, Kind.TRANSFER_SENT),
    "transfer.resubmit": lambda p: transfer_notice(p, Kind.TRANSFER_SENT),
    "transfer.accept": lambda p: transfer_notice(p, Kind.TRANSFER_ACCEPTED),
    "transfer.return": lambda p: transfer_notice(p, Kind.TRANSFER_RETURNED),
    "transfer.refuse": lambda p: transfer_notice(p, Kind.TRANSFER_REFUSED),
    "transfer.request_reconsideration": lambda p: transfer_notice(p, Kind.TRANSFER_RECONSIDERATION),
    "transfer.supervision_opinion": supervision_opinion,
    "assistance.requested": lambda p: assistance_notice(p, Kind.ASSISTANCE_REQUESTED),
    "assistance.answered": lambda p: assistance_notice(p, Kind.ASSISTANCE_ANSWERED),
    "assistance.declined": lambda p: assistance_notice(p, Kind.ASSISTANCE_DECLINED),
    "disclosure.due": lambda p: disclosure_notice(p, Kind.DISCLOSURE_DUE),
    "disclosure.overdue": lambda p: disclosure_notice(p, Kind.DISCLOSURE_OVERDUE),
}
EVENT_TYPES = frozenset(_HANDLERS)
