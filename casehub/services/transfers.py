from datetime import datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Region
from agencies.models.agency import AgencyKind
from agencies.roles import Role

from .. import access, audit
from ..calendar import working_calendar
from ..events import publish
from ..models import Case, SupervisionOpinion, Transfer, TransferMaterial
from ..rules import transfers as rules
from ..rules.transfers import TransferKind, TransferStatus
from .errors import Conflict, Refused
from .evidence import custody
from .timeline import record_event

OPEN_STATUSES = frozenset(TransferStatus.values) - rules.FINAL


class TransferRefused(Refused):
    pass


def city_of(region: Region) -> Region:
    while region.level not in ("city", "province") and region.parent_id:
        region = region.parent
    return region


def supervising_procuratorate(agency: Agency) -> Agency | None:
    """The procuratorate at the sender's city level, which is copied on
    suspected-crime transfers and supervises them."""
    city = city_of(agency.region)
    return Agency.objects.filter(kind=AgencyKind.PROCURATORATE, region=city, active=True).first()


def _set_due(transfer: Transfer, since: datetime) -> None:
    step = rules.deadline_step(transfer.status, transfer.kind, transfer.handed_over_at is not None)
    transfer.due_step = step or ""
    if step is None:
        transfer.due_at = None
        return
    when = rules.due(step, since, working_calendar())
    if not isinstance(when, datetime):
        # A period in days ends at the end of its last (local) day.
        when = timezone.make_aware(datetime.combine(when, time(23, 59, 59)))
    transfer.due_at = when


def _publish(transfer: Transfer, event: str, actor) -> None:
    publish(
        f"transfer.{event}", transfer_id=transfer.pk, case_id=transfer.case_id, kind=transfer.kind,
        status=transfer.status, from_agency_id=transfer.from_agency_id, to_agency_id=transfer.to_agency_id,
        supervising_agency_id=transfer.supervising_agency_id, actor_id=actor.pk,
    )


@transaction.atomic
def propose(*, actor, case: Case, kind: str, to_agency: Agency, reason: str, materials=(), request=None) -> Transfer:
    case = Case.objects.select_for_update().select_related("owning_agency__region").get(pk=case.pk)
    if not access.case_roles(actor, case) & rules.SENDER_HANDLERS:
        raise TransferRefused({"case": [_("Only the owning agency's handlers propose a transfer.")]}, forbidden=True)
    sender = case.owning_agency
    problem = rules.routing_problem(kind, sender, to_agency, city_of(sender.region).code, city_of(to_agency.region).code)
    if problem:
        raise TransferRefused({"to_agency": [problem]})
    if case.transfers.filter(status__in=OPEN_STATUSES).exists():
        raise TransferRefused({"case": [_("This case already has a transfer under way.")]}, conflict=True)
    transfer = Transfer(
        case=case, kind=kind, from_agency=sender, to_agency=to_agency, reason=reason, proposed_by=actor,
        supervising_agency=supervising_procuratorate(sender) if kind == TransferKind.SUSPECTED_CRIME else None,
    )
    _set_due(transfer, transfer.proposed_at)
    transfer.save()
    for m in materials:
        _check_file(case, m.get("file"))
    TransferMaterial.objects.bulk_create(
        [TransferMaterial(transfer=transfer, kind=m["kind"], title=m["title"], file=m.get("file"), added_by=actor)
         for m in materials]
    )
    record_event(case, actor=actor, kind="transfer_proposed", summary=f"{transfer.get_kind_display()} → {to_agency.name}",
                 data={"transfer_id": transfer.pk, "to_agency": to_agency.code})
    audit.record(user=actor, action="transfer.propose", object_type="transfer", object_id=transfer.pk,
                 request=request, agency_id=sender.pk)
    _publish(transfer, "proposed", actor)
    return transfer


def _check_file(case, evidence) -> None:
    if evidence is not None and evidence.case_id != case.pk:
        raise TransferRefused({"materials": [_("A material's file must belong to the case being transferred.")]})


@transaction.atomic
def add_material(*, actor, transfer: Transfer, kind: str, title: str, file=None, request=None) -> TransferMaterial:
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if not access.roles_in(actor, transfer.from_agency_id) & rules.SENDER_HANDLERS:
        raise TransferRefused({"transfer": [_("Only the sending agency adds materials.")]}, forbidden=True)
    if transfer.status not in (TransferStatus.PROPOSED, TransferStatus.APPROVED, TransferStatus.RETURNED):
        raise TransferRefused({"transfer": [_("Materials can be added only before sending or after a return.")]},
                              conflict=True)
    _check_file(transfer.case, file)
    material = TransferMaterial.objects.create(transfer=transfer, kind=kind, title=title, file=file, added_by=actor)
    transfer.version += 1
    transfer.save(update_fields=["version"])
    record_event(transfer.case, actor=actor, kind="transfer_material_added", summary=title,
                 data={"transfer_id": transfer.pk, "material": kind}, agency_id=transfer.from_agency_id)
    _publish(transfer, "material_added", actor)
    return material


@transaction.atomic
def take_step(*, actor, transfer_id: int, name: str, data: dict, expected_version: int | None = None,
              request=None) -> Transfer:
    transfer = Transfer.objects.select_for_update().select_related("case").get(pk=transfer_id)
    if expected_version is not None and transfer.version != expected_version:
        raise Conflict(transfer.version)
    step = rules.plan_step(name, transfer.status, access.transfer_sides(actor, transfer), data, kind=transfer.kind)
    if name in ("send", "resubmit"):
        missing = rules.missing_materials(transfer.kind, set(transfer.materials.values_list("kind", flat=True)))
        if missing:
            raise rules.StepFieldProblems({"materials": [_("Missing before it can be sent: %(kinds)s") % {"kinds": ", ".join(missing)}]})
    now = timezone.now()
    case = Case.objects.select_for_update().get(pk=transfer.case_id)
    if name == "approve":
        transfer.approved_at = now
    elif name in ("send", "resubmit"):
        transfer.sent_at = now
        # The receiver and, for a suspected crime, the procuratorate see the case from now on.
        access.grant_case(case, transfer.to_agency)
        if transfer.supervising_agency_id:
            access.grant_case(case, transfer.supervising_agency)
        for material in transfer.materials.filter(file__isnull=False).select_related("file"):
            for agency_id in filter(None, (transfer.to_agency_id, transfer.supervising_agency_id)):
                custody(material.file, "shared", actor=actor, agency_id=transfer.from_agency_id,
                        with_agency_id=agency_id, transfer_id=transfer.pk)
    elif name == "accept":
        transfer.decided_at = now
        transfer.receiver_case_number = data.get("receiver_case_number", "")
        # The receiver takes the case over; the sender keeps reading it and
        # the shared timeline, and its edits stop.
        sender = case.owning_agency
        case.owning_agency_id = transfer.to_agency_id
        case.version += 1
        case.save(update_fields=["owning_agency", "version", "updated_at"])
        access.revoke_case(case, transfer.to_agency)
        access.grant_case(case, sender)
    elif name in ("refuse", "return", "uphold_refusal"):
        transfer.decided_at = now
    if "reason" in data:
        transfer.last_reason = data["reason"]
    transfer.status = step.target
    transfer.version += 1
    _set_due(transfer, now)
    transfer.save()
    if name == "withdraw" and transfer.sent_at is not None:
        # Withdrawn after the receiver had it (returned for materials): the
        # receiver no longer sees the case, unless something else gives cause.
        access.settle_grant(case, transfer.to_agency)
    acting_agency = transfer.from_agency_id if step.side == rules.SENDER else transfer.to_agency_id
    record_event(case, actor=actor, kind=step.event, summary=f"{transfer.get_status_display()}",
                 data={"transfer_id": transfer.pk, **{k: v for k, v in data.items() if k != "comment"}},
                 agency_id=acting_agency)
    audit.record(user=actor, action=f"transfer.{name}", object_type="transfer", object_id=transfer.pk,
                 request=request, agency_id=acting_agency)
    _publish(transfer, name, actor)
    return transfer


@transaction.atomic
def hand_over(*, actor, transfer_id: int, note: str, request=None) -> Transfer:
    """Record that the sender handed the seized items and files to the
    receiver after acceptance (Order 730: within 3 days)."""
    transfer = Transfer.objects.select_for_update().select_related("case").get(pk=transfer_id)
    if not access.roles_in(actor, transfer.from_agency_id) & rules.SENDER_HANDLERS:
        raise TransferRefused({"transfer": [_("Only the sending agency records the hand-over.")]}, forbidden=True)
    if transfer.status != TransferStatus.ACCEPTED or transfer.handed_over_at is not None:
        raise TransferRefused({"transfer": [_("The hand-over follows acceptance, once.")]}, conflict=True)
    transfer.handed_over_at = timezone.now()
    transfer.version += 1
    _set_due(transfer, transfer.handed_over_at)
    transfer.save()
    for material in transfer.materials.filter(file__isnull=False).select_related("file"):
        custody(material.file, "handed_over", actor=actor, agency_id=transfer.from_agency_id,
                to_agency_id=transfer.to_agency_id, transfer_id=transfer.pk)
    record_event(transfer.case, actor=actor, kind="transfer_handed_over", summary=note[:300],
                 data={"transfer_id": transfer.pk}, agency_id=transfer.from_agency_id)
    audit.record(user=actor, action="transfer.hand_over", object_type="transfer", object_id=transfer.pk,
                 request=request, agency_id=transfer.from_agency_id)
    _publish(transfer, "handed_over", actor)
    return transfer


# --- procuratorate supervision -------------------------------------------------
SUPERVISORS = frozenset({Role.SUPERVISOR, Role.HEAD})
POLICE_REPLIERS = frozenset({Role.HEAD, Role.LIAISON})


@transaction.atomic
def request_supervision(*, actor, transfer_id: int, reason: str, request=None) -> Transfer:
    """The sender asks the procuratorate at its level to supervise a refused
    transfer; the procuratorate sees the case from then on."""
    transfer = Transfer.objects.select_for_update().select_related("case", "from_agency__region").get(pk=transfer_id)
    if Role.HEAD not in access.roles_in(actor, transfer.from_agency_id):
        raise TransferRefused({"transfer": [_("The sending agency's head asks for supervision.")]}, forbidden=True)
    if transfer.status not in (TransferStatus.REFUSED, TransferStatus.RECONSIDERATION, TransferStatus.REFUSAL_UPHELD):
        raise TransferRefused({"transfer": [_("Supervision is asked for after a refusal.")]}, conflict=True)
    procuratorate = transfer.supervising_agency or supervising_procuratorate(transfer.from_agency)
    if procuratorate is None:
        raise TransferRefused({"transfer": [_("No procuratorate at this level is registered.")]}, conflict=True)
    transfer.supervising_agency = procuratorate
    transfer.version += 1
    transfer.save(update_fields=["supervising_agency", "version"])
    access.grant_case(transfer.case, procuratorate)
    record_event(transfer.case, actor=actor, kind="supervision_requested", summary=reason[:300],
                 data={"transfer_id": transfer.pk, "procuratorate": procuratorate.code},
                 agency_id=transfer.from_agency_id)
    audit.record(user=actor, action="transfer.request_supervision", object_type="transfer", object_id=transfer.pk,
                 request=request, agency_id=transfer.from_agency_id)
    _publish(transfer, "supervision_requested", actor)
    return transfer


@transaction.atomic
def issue_opinion(*, actor, transfer_id: int, kind: str, opinion: str, request=None) -> SupervisionOpinion:
    transfer = Transfer.objects.select_for_update().select_related("case").get(pk=transfer_id)
    if transfer.supervising_agency_id is None or transfer.sent_at is None or not (
        access.roles_in(actor, transfer.supervising_agency_id) & SUPERVISORS
    ):
        raise TransferRefused({"transfer": [_("Only the supervising procuratorate issues opinions.")]}, forbidden=True)
    now = timezone.now()
    due_on = rules.due(kind, now, working_calendar())
    item = SupervisionOpinion.objects.create(transfer=transfer, procuratorate_id=transfer.supervising_agency_id,
                                             kind=kind, opinion=opinion, issued_by=actor, issued_at=now,
                                             due_on=due_on)
    record_event(transfer.case, actor=actor, kind="supervision_opinion", summary=opinion[:300],
                 data={"transfer_id": transfer.pk, "opinion_id": item.pk, "kind": kind, "due_on": str(due_on)},
                 agency_id=transfer.supervising_agency_id)
    audit.record(user=actor, action="transfer.opinion", object_type="transfer", object_id=transfer.pk,
                 request=request, agency_id=transfer.supervising_agency_id)
    _publish(transfer, "supervision_opinion", actor)
    return item


@transaction.atomic
def reply_to_opinion(*, actor, opinion_id: int, response: str, request=None) -> SupervisionOpinion:
    item = SupervisionOpinion.objects.select_for_update().select_related("transfer__case").get(pk=opinion_id)
    transfer = item.transfer
    if not access.roles_in(actor, transfer.to_agency_id) & POLICE_REPLIERS:
        raise TransferRefused({"transfer": [_("The receiving agency replies to the procuratorate.")]}, forbidden=True)
    if item.responded_at is not None:
        raise TransferRefused({"transfer": [_("This opinion has been answered.")]}, conflict=True)
    now = timezone.now()
    item.response, item.responded_by, item.responded_at = response, actor, now
    item.responded_late = timezone.localtime(now).date() > item.due_on
    item.save()
    record_event(transfer.case, actor=actor, kind="supervision_reply", summary=response[:300],
                 data={"transfer_id": transfer.pk, "opinion_id": item.pk, "late": item.responded_late},
                 agency_id=transfer.to_agency_id)
    audit.record(user=actor, action="transfer.reply_to_opinion", object_type="transfer", object_id=transfer.pk,
                 request=request, agency_id=transfer.to_agency_id)
    _publish(transfer, "supervision_reply", actor)
    return item
