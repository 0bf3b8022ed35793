"""Disclosure records: created with a penalty decision, approved and
published, corrected, repaired, expired; each public change written to the
feed in the same transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.services.input import clean, pk_of, validated
from agencies.services.scope import on_agency
from casehub import access, audit
from casehub.calendar import working_calendar
from casehub.events.bus import Event, publish
from casehub.models import Case
from casehub.rules.identifiers import is_valid_credit_code
from casehub.services.errors import Refused
from casehub.vocabulary import IpType, PartyRole

from .models import (CreditRepair, DisclosureChange, DisclosureRecord, DisclosureRevision, FeedClock, RecordStatus,
                     WithdrawnReason)
from .rules import grading, publicity
from .rules.redaction import public_party

# Who decides a record and who records a repair application: the access
# module states it once (its desks' pages ask it too).
DECIDERS = access.DISCLOSURE_DECIDERS
HANDLERS = access.REPAIR_RECORDERS


def snapshot(record: DisclosureRecord) -> dict:
    """Everything the public may see of a record, and nothing else."""
    money = lambda v: str(v) if v is not None else None  # noqa: E731
    return {
        "id": record.pk, "decision_number": record.decision_number,
        **public_party(record.party_kind, record.party_name, record.credit_code),
        "violation_type": record.violation_type, "legal_basis": record.legal_basis,
        "penalties": list(record.penalties), "fine_amount": money(record.fine_amount),
        "confiscated_amount": money(record.confiscated_amount), "ip_type": record.ip_type,
        "agency": record.agency.name, "agency_code": record.agency.code,
        "decision_date": record.decision_date.isoformat(),
        "published_on": record.published_on.isoformat() if record.published_on else None,
        "publicity_ends_on": record.publicity_ends_on.isoformat() if record.publicity_ends_on else None,
        "revision": record.revision, "correction_note": record.correction_note,
    }


PUBLIC_KINDS = (DisclosureChange.Kind.PUBLISHED, DisclosureChange.Kind.CORRECTED)


def _change(record: DisclosureRecord, kind: str) -> DisclosureChange:
    """Write a change to the feed. The record's earlier published/corrected
    changes go: what the public saw of a record that left the public set
    (withdrawn, repaired, expired) must not stay readable in the feed's
    history, nor a corrected record's old values. A consumer loses nothing:
    it reads on to this change, which supersedes them."""
    FeedClock.objects.get_or_create(pk=1)
    FeedClock.objects.select_for_update().get(pk=1)  # ids in commit order
    DisclosureChange.objects.filter(record=record, kind__in=PUBLIC_KINDS).delete()
    public = kind in PUBLIC_KINDS
    shown = snapshot(record) if public else {}
    if public:  # the agency keeps each revision the public saw (its revision history)
        DisclosureRevision.objects.update_or_create(record=record, revision=record.revision, defaults={
            "kind": kind, "snapshot": shown, "at": timezone.now(),
            "note": record.correction_note if kind == DisclosureChange.Kind.CORRECTED else ""})
    return DisclosureChange.objects.create(record=record, kind=kind, snapshot=shown)


def public_records(today: date | None = None):
    today = today or timezone.localdate()
    return DisclosureRecord.objects.filter(status=RecordStatus.PUBLISHED, publicity_ends_on__gte=today)


def is_public(record: DisclosureRecord, today: date | None = None) -> bool:
    """The record is in public_records() (its expiry may not have run yet)."""
    return record.status == RecordStatus.PUBLISHED and record.publicity_ends_on >= (today or timezone.localdate())


# --- created with the decision -------------------------------------------------
def publication_due(decision_date: date) -> date:
    """The last day to publish a decision of that date: 20 working days."""
    return working_calendar().add_working_days(decision_date, publicity.PUBLICATION_WORKING_DAYS)


def on_calendar_changed(event: Event) -> None:
    """In the working calendar's transaction: the records awaiting
    publication due on or after the first day changed are counted again
    from their decision date (their overdue flag follows); an act folded
    into the calendar's, whose entry counts them."""
    since = date.fromisoformat(event.payload["since"])
    today = timezone.localdate()
    with audit.act(user=None, action="disclosure.recount_due", object_type="disclosure") as act:
        moved = 0
        pending = DisclosureRecord.objects.filter(status=RecordStatus.PENDING, due_on__gte=since)
        for record in pending.select_for_update().iterator(chunk_size=500):
            due_on = publication_due(record.decision_date)
            if due_on != record.due_on:
                record.due_on = due_on
                record.late = record.late and due_on < today
                record.save(update_fields=["due_on", "late"])
                moved += 1
        act.detail["records_moved"] = moved


def on_decided(event: Event) -> None:
    """In the decision's transaction: a penalty decision (not a warning
    alone) gets a record per party under investigation, due for
    publication within 20 working days."""
    case = Case.objects.select_related("owning_agency").get(pk=event.payload["case_id"])
    if case.outcome != "penalty" or not publicity.is_published(case.penalties) or not case.decision_date:
        return
    due_on = publication_due(case.decision_date)
    for party in case.parties.filter(role=PartyRole.RESPONDENT):
        DisclosureRecord.objects.get_or_create(case=case, party=party, defaults={
            "agency": case.owning_agency, "party_kind": party.kind, "party_name": party.name,
            "credit_code": party.credit_code if party.kind == "enterprise" else "",
            "decision_number": case.decision_number, "decision_date": case.decision_date, "ip_type": case.ip_type,
            "violation_type": str(_("Infringement of %(right)s") % {"right": IpType(case.ip_type).label}),
            "legal_basis": case.legal_basis, "penalties": list(case.penalties), "fine_amount": case.fine_amount,
            "confiscated_amount": case.confiscated_amount, "due_on": due_on,
        })


def _locked(act: audit.Act, record_id, actor, roles=DECIDERS, *, names_record=True) -> DisclosureRecord:
    """The record, locked for the act, if the actor is of its deciding
    agency (for anyone else it does not exist: a 404, audited against that
    agency) in one of `roles`. `names_record`: the act is about the record
    (not, say, a repair of it)."""
    pk = pk_of(record_id)
    record = DisclosureRecord.objects.select_for_update(of=("self",)).select_related("agency").filter(
        pk=pk).first() if pk else None
    about = {"obj": record, "object_id": str(record_id)[:40]} if names_record else {}
    if record is None or record.agency_id not in access.agency_ids(actor):
        on_agency(act, record.agency_id if record else None, object_id=about.get("object_id"))
        raise Refused.missing()
    on_agency(act, record.agency_id, about.get("obj"))
    if not access.has_role(actor, record.agency_id, roles):
        message = (_("The deciding agency's reviewers and head decide this.") if roles == DECIDERS
                   else _("The deciding agency's officers, reviewers and head record this."))
        raise Refused({"detail": [message]}, forbidden=True)
    return record


def _input(form, **given) -> dict:
    """The act's values: those given, or those of `form`, an unvalidated
    serializer of the request's input, read once the actor is authorised
    (its field errors are a refusal like any other, and audited)."""
    return {**given, **validated(form)} if form is not None else given


def _set_period(record: DisclosureRecord) -> None:
    args = (record.published_on, record.penalties, record.fine_amount, record.party_kind, record.field)
    record.publicity_ends_on = publicity.publicity_ends_on(*args)
    record.repair_possible_from = publicity.repair_possible_from(*args)


def _iso(value):
    return value.isoformat() if value is not None else None


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    return list(value) if isinstance(value, (list, tuple)) else value


def approve(*, actor, record_id: int, field: str | None = None, today: date | None = None, form=None,
            request=None) -> DisclosureRecord:
    """A reviewer approves what will be published, naming its regulated
    field if it has one (the periods depend on it); it is public at once."""
    with audit.act(user=actor, action="disclosure.approve", object_type="disclosure", object_id=record_id,
                   request=request) as act:
        record = _locked(act, record_id, actor)
        field = _input(form, field=field).get("field")
        if record.status != RecordStatus.PENDING:
            raise Refused({"detail": [_("Only a record awaiting review is approved.")]}, conflict=True)
        if field is not None:
            record.field = field
        record.status, record.approved_by = RecordStatus.PUBLISHED, actor
        record.published_on = today or timezone.localdate()
        record.late = record.late or record.published_on > record.due_on
        _set_period(record)
        record.save()
        _change(record, DisclosureChange.Kind.PUBLISHED)
        act.detail.update(field=record.field, published_on=_iso(record.published_on),
                          publicity_ends_on=_iso(record.publicity_ends_on), late=record.late)
    return record


CORRECTABLE = ("decision_number", "legal_basis", "penalties", "fine_amount", "confiscated_amount", "field")


def correct(*, actor, record_id: int, changes: dict | None = None, note: str = "", revoked: bool = False,
            form=None, request=None) -> DisclosureRecord:
    """The decision was changed or revoked. A public record shows the
    correction (its revision and note); a revoked one leaves the public. A
    record still awaiting review just takes the new values: the public
    never saw the old ones, so there is nothing to correct in public.
    `form`: the request's input, `note` and `revoked` with the new values."""
    with audit.act(user=actor, action="disclosure.correct", object_type="disclosure", object_id=record_id,
                   request=request) as act:
        record = _locked(act, record_id, actor)
        values = _input(form, **(changes or {}), note=note, revoked=revoked)
        note, revoked = values.pop("note"), values.pop("revoked")
        _correct(act, record, values, note, revoked)
    return record


def _correct(act: audit.Act, record: DisclosureRecord, changes: dict, note: str, revoked: bool) -> None:
    if record.status in (RecordStatus.WITHDRAWN, RecordStatus.EXPIRED):
        raise Refused({"detail": [_("This record is no longer public.")]}, conflict=True)
    was_public = record.status == RecordStatus.PUBLISHED
    if was_public:
        record.correction_note, record.revision = note[:500], record.revision + 1
    before, after = {}, {}
    for name, value in changes.items():
        if name not in CORRECTABLE:
            raise ValueError(f"{name} is not correctable")
        if _plain(getattr(record, name)) != _plain(value):
            before[name], after[name] = _plain(getattr(record, name)), _plain(value)
        setattr(record, name, value)
    act.detail.update(before=before, after=after, note=note[:500], revision=record.revision)
    if not revoked and "fine" in record.penalties and record.fine_amount is None:
        raise Refused({"fine_amount": [_("A fine needs its amount.")]})
    if revoked or not publicity.is_published(record.penalties):
        act.action = "disclosure.revoke" if revoked else "disclosure.withdraw"
        record.status = RecordStatus.WITHDRAWN
        record.withdrawn_reason = WithdrawnReason.REVOKED if revoked else WithdrawnReason.NOT_PUBLISHED
        record.save()
        if was_public:
            _change(record, DisclosureChange.Kind.WITHDRAWN)
        return
    if was_public:
        _set_period(record)
    record.save()
    if was_public:
        _change(record, DisclosureChange.Kind.CORRECTED)


# --- credit repair ---------------------------------------------------------------
def apply_repair(*, actor, record_id: int, applicant: str = "", reason: str = "", applied_on: date | None = None,
                 form=None, request=None) -> CreditRepair:
    """The agency records a party's application for credit repair."""
    with audit.act(user=actor, action="credit_repair.apply", object_type="disclosure", object_id=record_id,
                   request=request) as act:
        record = _locked(act, record_id, actor, roles=HANDLERS)
        values = _input(form, applicant=applicant, reason=reason, applied_on=applied_on)
        applied_on = values["applied_on"]
        if not is_public(record):
            raise Refused({"record": [_("Only a public record can be repaired.")]}, conflict=True)
        if applied_on > timezone.localdate():
            raise Refused({"applied_on": [_("An application cannot be dated in the future.")]})
        if applied_on < record.repair_possible_from:
            raise Refused({"applied_on": [_("Credit repair may be applied for from %(date)s.") % {
                "date": record.repair_possible_from.isoformat()}]})
        if record.repairs.filter(status=CreditRepair.Status.PENDING).exists():
            raise Refused({"record": [_("An application is already awaiting a decision.")]}, conflict=True)
        repair = CreditRepair.objects.create(record=record, applicant=values["applicant"], reason=values["reason"],
                                             applied_on=applied_on, recorded_by=actor)
        act.detail.update(repair=repair.pk, applied_on=applied_on.isoformat())
    return repair


def decide_repair(*, actor, repair_id: int, approve_it: bool, reason: str = "", form=None,
                  request=None) -> CreditRepair:
    with audit.act(user=actor, action="credit_repair.approve" if approve_it else "credit_repair.refuse",
                   object_type="credit_repair", object_id=str(repair_id)[:40], request=request) as act:
        pk = pk_of(repair_id)
        repair = CreditRepair.objects.select_for_update().filter(pk=pk).first() if pk else None
        if repair is None:
            raise Refused.missing()
        record = _locked(act, repair.record_id, actor, names_record=False)
        act.detail["record"] = record.pk
        reason = _input(form, reason=reason)["reason"]
        if repair.status != CreditRepair.Status.PENDING:
            raise Refused({"detail": [_("This application has been decided.")]}, conflict=True)
        if not approve_it and not reason.strip():
            raise Refused({"reason": [_("Give the reasons for refusing.")]})
        repair.status = CreditRepair.Status.APPROVED if approve_it else CreditRepair.Status.REFUSED
        repair.decided_by, repair.decided_at, repair.decision_reason = actor, timezone.now(), reason
        repair.save()
        if approve_it and record.status == RecordStatus.PUBLISHED:
            # Withdrawn from the public; kept internally with its repair record.
            record.status, record.withdrawn_reason = RecordStatus.WITHDRAWN, WithdrawnReason.REPAIRED
            record.save(update_fields=["status", "withdrawn_reason"])
            _change(record, DisclosureChange.Kind.WITHDRAWN)
            act.detail["withdrawn"] = True
    return repair


# --- periodic ----------------------------------------------------------------------
def expire(today: date | None = None) -> int:
    """Public records past their end leave the public feed."""
    today = today or timezone.localdate()
    done = 0
    for record_id in DisclosureRecord.objects.filter(status=RecordStatus.PUBLISHED, publicity_ends_on__lt=today) \
            .values_list("pk", flat=True):
        with transaction.atomic():
            record = DisclosureRecord.objects.select_for_update().get(pk=record_id)
            if record.status == RecordStatus.PUBLISHED and record.publicity_ends_on < today:
                record.status = RecordStatus.EXPIRED
                record.save(update_fields=["status"])
                _change(record, DisclosureChange.Kind.EXPIRED)
                # Leaving the public set is an act too, the system's.
                audit.record(user=None, action="disclosure.expire", object_type="disclosure", object_id=record.pk,
                             agency_id=record.agency_id, owner_agency_id=record.agency_id,
                             detail={"publicity_ended_on": record.publicity_ends_on.isoformat()})
                done += 1
    return done


def remind(today: date | None = None, *, days_ahead: int = 3) -> tuple[int, int]:
    """Pending publications: remind the agency when the 20-working-day
    limit is near, flag them late once it has passed. Each once."""
    today = today or timezone.localdate()
    horizon = working_calendar().add_working_days(today, days_ahead)
    pending = DisclosureRecord.objects.filter(status=RecordStatus.PENDING)
    reminded = flagged = 0
    with transaction.atomic():
        for record in pending.filter(late=False, due_on__lt=today).select_for_update():
            record.late = True
            record.save(update_fields=["late"])
            publish("disclosure.overdue", record_id=record.pk, case_id=record.case_id, agency_id=record.agency_id,
                    due_on=record.due_on.isoformat())
            flagged += 1
        for record in pending.filter(reminded_at__isnull=True, due_on__gte=today, due_on__lte=horizon) \
                .select_for_update():
            record.reminded_at = timezone.now()
            record.save(update_fields=["reminded_at"])
            publish("disclosure.due", record_id=record.pk, case_id=record.case_id, agency_id=record.agency_id,
                    due_on=record.due_on.isoformat())
            reminded += 1
    return reminded, flagged


def run_periodic() -> None:
    expire()
    remind()


def expire_due_exists(today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return DisclosureRecord.objects.filter(status=RecordStatus.PUBLISHED, publicity_ends_on__lt=today).exists()


# --- the agencies' credit views ------------------------------------------------------
def grading_rule() -> dict:
    """settings.CREDIT_GRADING over the default rule (a key left out keeps
    its default)."""
    return {**grading.DEFAULT_RULE, **(getattr(settings, "CREDIT_GRADING", None) or {})}


def _counted(years: int, viewer, today: date | None = None):
    """Enterprises' penalty decisions in force, decided in the last `years`
    years, that the viewer may see (access.visible_penalty_decisions: their
    own agencies' whether public or not, other agencies' once published). A
    revoked decision no longer counts, nor one changed to a warning alone
    (which never gets a record); a repaired one still does: repair ends its
    publicity, not the penalty."""
    since = (today or timezone.localdate()) - relativedelta(years=years)
    records = (DisclosureRecord.objects.filter(decision_date__gte=since, party_kind="enterprise")
               .exclude(withdrawn_reason__in=[WithdrawnReason.REVOKED, WithdrawnReason.NOT_PUBLISHED]))
    return access.visible_penalty_decisions(viewer, records)


def enterprise_credit(credit_code: str, *, viewer, today: date | None = None) -> dict:
    """An enterprise's penalties across all agencies, its repeat
    infringements (more than one penalty for the same kind of right) and
    grade. Never a case's facts, informants or officers."""
    rule = grading_rule()
    today = today or timezone.localdate()
    records = list(_counted(rule["years"], viewer, today).filter(credit_code=credit_code).select_related("agency")
                   .order_by("-decision_date", "-id"))
    total = sum((r.fine_amount or Decimal(0) for r in records), Decimal(0))
    by_right: dict[str, int] = {}
    for r in records:
        by_right[r.ip_type] = by_right.get(r.ip_type, 0) + 1
    return {
        "credit_code": credit_code, "name": records[0].party_name if records else None, "years": rule["years"],
        "since": today - relativedelta(years=rule["years"]), "penalties": len(records), "total_fine": total,
        "repeat_infringements": {k: v for k, v in sorted(by_right.items()) if v > 1},
        "grade": grading.grade(len(records), total, rule),
        "seriously_dishonest": grading.is_seriously_dishonest(len(records), total, rule),
        "records": [{"id": r.pk, "decision_number": r.decision_number, "decision_date": r.decision_date,
                     "agency": r.agency.name, "agency_code": r.agency.code, "ip_type": r.ip_type,
                     "violation_type": r.violation_type, "penalties": list(r.penalties), "fine_amount": r.fine_amount,
                     "confiscated_amount": r.confiscated_amount, "status": r.status,
                     "repaired": r.withdrawn_reason == WithdrawnReason.REPAIRED} for r in records],
    }


def seriously_dishonest(*, viewer, today: date | None = None) -> dict:
    """Every enterprise the rule names seriously dishonest, most penalised
    first: the list for joint punishment (失信联合惩戒), counting the
    decisions the viewer may see."""
    rule = grading_rule()
    today = today or timezone.localdate()
    counted = _counted(rule["years"], viewer, today)
    rows = (counted.exclude(credit_code="").values("credit_code")
            .annotate(penalties=Count("id"), total_fine=Sum("fine_amount")).order_by("-penalties", "credit_code"))
    listed = [{**r, "total_fine": r["total_fine"] or Decimal(0)} for r in rows
              if grading.is_seriously_dishonest(r["penalties"], r["total_fine"] or Decimal(0), rule)]
    names = dict(counted.filter(credit_code__in=[r["credit_code"] for r in listed])
                 .order_by("decision_date", "id").values_list("credit_code", "party_name"))  # the latest name
    return {"years": rule["years"], "since": today - relativedelta(years=rule["years"]),
            "results": [{**r, "name": names.get(r["credit_code"])} for r in listed]}


NOT_A_MEMBER = gettext_lazy("The credit views are for the members of an agency.")
BAD_CREDIT_CODE = gettext_lazy("Not a valid unified social credit code.")


def _require_member(actor) -> None:
    if not access.agency_ids(actor):
        raise Refused.deny(NOT_A_MEMBER)


def credit_report(*, actor, credit_code: str, request=None) -> dict:
    """An agency member looks an enterprise up (enterprise_credit)."""
    with audit.act(user=actor, action="credit.enterprise", object_type="enterprise",
                   object_id=clean(credit_code, 40), request=request) as act:
        _require_member(actor)
        code = credit_code.strip().upper()
        if not is_valid_credit_code(code):
            raise Refused.invalid("credit_code", BAD_CREDIT_CODE)
        report = enterprise_credit(code, viewer=actor)
        act.about(object_id=code)
        act.detail.update(penalties=report["penalties"], grade=report["grade"])
    return report


def dishonest_list(*, actor, request=None) -> dict:
    with audit.act(user=actor, action="credit.dishonest", object_type="enterprise", request=request) as act:
        _require_member(actor)
        listed = seriously_dishonest(viewer=actor)
        act.detail["count"] = len(listed["results"])
    return listed
