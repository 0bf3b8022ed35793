from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Region
from agencies.models.agency import AgencyKind
from agencies.roles import Role

from .. import access, audit
from ..calendar import working_calendar
from ..events import publish
from ..models import Case, EvidenceFile, SupervisionOpinion, Transfer, TransferMaterial
from ..rules import transfers as rules
from ..rules.transfers import MaterialKind, OpinionKind, TransferKind, TransferStatus
from .attempts import find_visible
from .cases import lock_case
from .errors import Conflict, Refused
from .evidence import custody
from .timeline import record_event

OPEN_STATUSES = frozenset(TransferStatus.values) - rules.FINAL


def under_way() -> Q:
    """Not concluded: a status not final, or a suspected crime accepted whose
    items are still to be handed over (rules.deadline_step runs the
    hand-over's clock until then)."""
    return ~Q(status__in=rules.FINAL) | Q(status=TransferStatus.ACCEPTED, kind=rules.TransferKind.SUSPECTED_CRIME,
                                          handed_over_at__isnull=True)


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
    """The running step's deadline, counted from `since` (kept in
    `due_since`, so a change to the working calendar can count it again)."""
    step = rules.deadline_step(transfer.status, transfer.kind, transfer.handed_over_at is not None)
    transfer.due_step = step or ""
    if step is None:
        transfer.due_at = transfer.due_since = None
        return
    transfer.due_since = since
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


def find_transfer(*, actor, transfer_id, action: str, request=None, queryset=None) -> Transfer:
    """A transfer as the actor may see it (its sender from the proposal on,
    the receiver and the procuratorate once sent); otherwise a 404, audited
    as a denied attempt on the sender."""
    rows = queryset if queryset is not None else Transfer.objects.all()
    return find_visible(access.visible_transfers(actor, rows), actor=actor, object_type="transfer",
                        object_id=transfer_id, action=action, request=request)


def _acting_for(actor, transfer: Transfer, side: str | None = None) -> int | None:
    """The agency the actor acts for on a transfer: the side's when given,
    else whichever of the sender, receiver and procuratorate they belong to."""
    mine = access.agency_ids(actor)
    candidates = {rules.SENDER: (transfer.from_agency_id,), rules.RECEIVER: (transfer.to_agency_id,)}.get(
        side, (transfer.from_agency_id, transfer.to_agency_id, transfer.supervising_agency_id))
    return next((a for a in candidates if a in mine), None)


def _lock(actor, transfer_id, act: audit.Act) -> Transfer:
    """The transfer for an act, locked, if the actor may see it; a 404
    (denied, on the sender) if not."""
    transfer = None
    if str(transfer_id).isdigit():
        transfer = Transfer.objects.select_for_update().select_related("case").filter(pk=transfer_id).first()
    if transfer is None or not access.can_see_transfer(actor, transfer):
        act.about(object_id=transfer_id, owner_agency_id=transfer.from_agency_id if transfer else None)
        raise Refused.missing()
    act.about(transfer, owner_agency_id=transfer.from_agency_id, agency_id=_acting_for(actor, transfer))
    act.detail["case_id"] = transfer.case_id
    return transfer


def _file_ref(value) -> int | None:
    """A material's file as given: an evidence file, its id, or nothing (-1
    for what cannot be an id)."""
    value = getattr(value, "pk", value)
    if value is None or value == "":
        return None
    return int(value) if str(value).isdigit() else -1


def _materials(case: Case, materials) -> list[dict]:
    """Materials with their files, each of which must belong to the case
    (a file of another case is refused like one that does not exist)."""
    refs = [_file_ref(m.get("file")) for m in materials]
    files = {f.pk: f for f in EvidenceFile.objects.filter(pk__in={r for r in refs if r}, case=case)} if any(refs) \
        else {}
    errors = []
    for m, ref in zip(materials, refs, strict=True):
        problems = {}
        if m.get("kind") not in MaterialKind.values:
            problems["kind"] = [_("Choose a kind of material.")]
        if not m.get("title"):
            problems["title"] = [_("Give the material a title.")]
        if ref is not None and ref not in files:
            problems["file"] = [_("A material's file must belong to the case being transferred.")]
        errors.append(problems)
    if any(errors):
        raise TransferRefused({"materials": errors})
    return [{"kind": m["kind"], "title": m["title"], "file": files.get(ref) if ref is not None else None}
            for m, ref in zip(materials, refs, strict=True)]


def propose(*, actor, case, kind: str, to_agency, reason: str, materials=(), request=None) -> Transfer:
    """Propose sending a case (or its id) to another agency (or its id)."""
    case_id = getattr(case, "pk", case)
    with audit.act(user=actor, action="transfer.propose", object_type="case", object_id=case_id,
                   request=request) as act:
        case = lock_case(actor, case_id, act)
        if not access.case_roles(actor, case) & rules.SENDER_HANDLERS:
            raise TransferRefused({"case": [_("Only the owning agency's handlers propose a transfer.")]},
                                  forbidden=True)
        if kind not in TransferKind.values:
            raise TransferRefused({"kind": [_("Choose a kind of transfer.")]})
        sender = Agency.objects.select_related("region").get(pk=case.owning_agency_id)
        to_agency = to_agency if isinstance(to_agency, Agency) else Agency.objects.filter(pk=to_agency).first()
        if to_agency is None:
            raise TransferRefused({"to_agency": [_("No such agency.")]})
        act.detail.update(kind=kind, to_agency=to_agency.code)
        problem = rules.routing_problem(kind, sender, to_agency, city_of(sender.region).code,
                                        city_of(to_agency.region).code)
        if problem:
            raise TransferRefused({"to_agency": [problem]})
        materials = _materials(case, materials)
        if case.transfers.filter(status__in=OPEN_STATUSES).exists():
            raise TransferRefused({"case": [_("This case already has a transfer under way.")]}, conflict=True)
        transfer = Transfer(
            case=case, kind=kind, from_agency=sender, to_agency=to_agency, reason=reason, proposed_by=actor,
            supervising_agency=supervising_procuratorate(sender) if kind == TransferKind.SUSPECTED_CRIME else None,
        )
        _set_due(transfer, transfer.proposed_at)
        transfer.save()
        TransferMaterial.objects.bulk_create(
            [TransferMaterial(transfer=transfer, kind=m["kind"], title=m["title"], file=m["file"], added_by=actor)
             for m in materials]
        )
        record_event(case, actor=actor, kind="transfer_proposed",
                     summary=f"{transfer.get_kind_display()} → {to_agency.name}",
                     data={"transfer_id": transfer.pk, "to_agency": to_agency.code})
        act.about(transfer, object_type="transfer", owner_agency_id=sender.pk, agency_id=sender.pk)
        act.detail["case_id"] = case.pk
        _publish(transfer, "proposed", actor)
    return transfer


def add_material(*, actor, transfer, kind: str, title: str, file=None, uploaded=None,
                 request=None) -> TransferMaterial:
    """Add a material (and its file, one of the case's) to a transfer (or its
    id). An `uploaded` file joins the case's evidence first, in the same act
    (a refusal of either stores neither)."""
    transfer_id = getattr(transfer, "pk", transfer)
    with audit.act(user=actor, action="transfer.add_material", object_type="transfer", object_id=transfer_id,
                   request=request) as act:
        transfer = _lock(actor, transfer_id, act)
        if not access.roles_in(actor, transfer.from_agency_id) & rules.SENDER_HANDLERS:
            raise TransferRefused({"transfer": [_("Only the sending agency adds materials.")]}, forbidden=True)
        if transfer.status not in rules.MATERIAL_STATUSES:
            raise TransferRefused({"transfer": [_("Materials can be added only before sending or after a return.")]},
                                  conflict=True)
        if uploaded is not None:
            from .evidence import upload

            file = upload(actor=actor, case=transfer.case_id, uploaded=uploaded, request=request)
        try:
            (material,) = _materials(transfer.case, [{"kind": kind, "title": title, "file": file}])
        except TransferRefused as refused:
            raise TransferRefused(refused.errors["materials"][0]) from None
        material = TransferMaterial.objects.create(transfer=transfer, added_by=actor, **material)
        transfer.version += 1
        transfer.save(update_fields=["version"])
        record_event(transfer.case, actor=actor, kind="transfer_material_added", summary=title,
                     data={"transfer_id": transfer.pk, "material": kind}, agency_id=transfer.from_agency_id)
        act.detail.update(material_id=material.pk, kind=kind)
        _publish(transfer, "material_added", actor)
    return material


def step_act(name) -> str:
    """How a transfer step is named in the audit log."""
    return f"transfer.{name}" if isinstance(name, str) and name in rules.STEPS else "transfer.step"


def take_step(*, actor, transfer_id: int, name: str, data: dict, expected_version: int | None = None,
              request=None) -> Transfer:
    with audit.act(user=actor, action=step_act(name), object_type="transfer", object_id=transfer_id,
                   request=request) as act:
        transfer = _lock(actor, transfer_id, act)
        step = rules.plan_step(name, transfer.status, access.transfer_sides(actor, transfer), data,
                               kind=transfer.kind)
        act.about(agency_id=_acting_for(actor, transfer, step.side))
        if expected_version is not None and transfer.version != expected_version:
            raise Conflict(transfer.version)
        if name in ("send", "resubmit"):
            missing = rules.missing_materials(transfer.kind, set(transfer.materials.values_list("kind", flat=True)))
            if missing:
                raise rules.StepFieldProblems({"materials": [
                    _("Missing before it can be sent: %(kinds)s") % {"kinds": ", ".join(missing)}]})
        _take(actor, transfer, name, step, data)
    return transfer


def _take(actor, transfer: Transfer, name: str, step, data: dict) -> None:
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
    _publish(transfer, name, actor)


def hand_over(*, actor, transfer_id: int, note: str, request=None) -> Transfer:
    """Record that the sender handed the seized items and files to the
    receiver after acceptance (Order 730: within 3 days)."""
    with audit.act(user=actor, action="transfer.hand_over", object_type="transfer", object_id=transfer_id,
                   request=request) as act:
        transfer = _lock(actor, transfer_id, act)
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
        _publish(transfer, "handed_over", actor)
    return transfer


# --- procuratorate supervision -------------------------------------------------
SUPERVISORS = rules.SUPERVISORS
POLICE_REPLIERS = rules.OPINION_REPLIERS


def request_supervision(*, actor, transfer_id: int, reason: str, request=None) -> Transfer:
    """The sender asks the procuratorate at its level to supervise a refused
    transfer; the procuratorate sees the case from then on."""
    with audit.act(user=actor, action="transfer.request_supervision", object_type="transfer",
                   object_id=transfer_id, request=request) as act:
        transfer = _lock(actor, transfer_id, act)
        if Role.HEAD not in access.roles_in(actor, transfer.from_agency_id):
            raise TransferRefused({"transfer": [_("The sending agency's head asks for supervision.")]},
                                  forbidden=True)
        if transfer.status not in rules.SUPERVISION_STATUSES:
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
        act.detail["procuratorate"] = procuratorate.code
        _publish(transfer, "supervision_requested", actor)
    return transfer


def issue_opinion(*, actor, transfer_id: int, kind: str, opinion: str, request=None) -> SupervisionOpinion:
    with audit.act(user=actor, action="transfer.opinion", object_type="transfer", object_id=transfer_id,
                   request=request) as act:
        transfer = _lock(actor, transfer_id, act)
        if transfer.supervising_agency_id is None or transfer.sent_at is None or not (
            access.roles_in(actor, transfer.supervising_agency_id) & SUPERVISORS
        ):
            raise TransferRefused({"transfer": [_("Only the supervising procuratorate issues opinions.")]},
                                  forbidden=True)
        if kind not in OpinionKind.values:
            raise TransferRefused({"kind": [_("Choose a kind of opinion.")]})
        act.about(agency_id=transfer.supervising_agency_id)
        now = timezone.now()
        due_on = rules.due(kind, now, working_calendar())
        item = SupervisionOpinion.objects.create(transfer=transfer, procuratorate_id=transfer.supervising_agency_id,
                                                 kind=kind, opinion=opinion, issued_by=actor, issued_at=now,
                                                 due_on=due_on)
        record_event(transfer.case, actor=actor, kind="supervision_opinion", summary=opinion[:300],
                     data={"transfer_id": transfer.pk, "opinion_id": item.pk, "kind": kind, "due_on": str(due_on)},
                     agency_id=transfer.supervising_agency_id)
        act.detail.update(opinion_id=item.pk, kind=kind)
        _publish(transfer, "supervision_opinion", actor)
    return item


def reply_to_opinion(*, actor, transfer_id: int, opinion_id: int, response: str, request=None) -> SupervisionOpinion:
    with audit.act(user=actor, action="transfer.reply_to_opinion", object_type="transfer", object_id=transfer_id,
                   request=request, detail={"opinion_id": opinion_id}) as act:
        transfer = _lock(actor, transfer_id, act)
        item = SupervisionOpinion.objects.select_for_update().filter(pk=opinion_id, transfer=transfer).first()
        if item is None:
            raise Refused.missing()
        if not access.roles_in(actor, transfer.to_agency_id) & POLICE_REPLIERS:
            raise TransferRefused({"transfer": [_("The receiving agency replies to the procuratorate.")]},
                                  forbidden=True)
        if item.responded_at is not None:
            raise TransferRefused({"transfer": [_("This opinion has been answered.")]}, conflict=True)
        act.about(agency_id=transfer.to_agency_id)
        now = timezone.now()
        item.response, item.responded_by, item.responded_at = response, actor, now
        item.responded_late = timezone.localtime(now).date() > item.due_on
        item.save()
        record_event(transfer.case, actor=actor, kind="supervision_reply", summary=response[:300],
                     data={"transfer_id": transfer.pk, "opinion_id": item.pk, "late": item.responded_late},
                     agency_id=transfer.to_agency_id)
        _publish(transfer, "supervision_reply", actor)
    return item
