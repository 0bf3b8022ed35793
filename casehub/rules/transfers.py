"""Transfers of a case between agencies: which agency may send which kind to
whom, what must go with it, the steps it passes through, and each step's
deadline.

Sources (../shared/domain.md):
- State Council Order 310 《行政执法机关移送涉嫌犯罪案件的规定》 as revised by
  Order 730 (2020): the head approves or rejects within 3 days of the
  officers' report; once approved the case goes to the police within 24
  hours; the materials of art. 6; police decide within 3 days and return the
  file with reasons if they do not open a case; the agency may ask for
  reconsideration within 3 days and police decide within 3 days; after
  police open the case the agency hands over items and files within 3 days.
- Reverse transfer (procuratorate → administrative agency): reply period
  unconfirmed, 2 months by default.
Periods are settings (CASEHUB_TRANSFER_PERIODS); these values are defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models.agency import AgencyKind
from agencies.roles import Role

from .refusal import Kind, Refused


class TransferKind(models.TextChoices):
    SUSPECTED_CRIME = "suspected_crime", _("Suspected crime (to the police)")
    JURISDICTION = "jurisdiction", _("Jurisdiction (to the competent agency)")
    CROSS_REGION = "cross_region", _("Cross-region")
    REVERSE = "reverse", _("Reverse transfer (procuratorate to administrative agency)")
    CLUE_HANDOVER = "clue_handover", _("Clue hand-over")


class MaterialKind(models.TextChoices):
    TRANSFER_LETTER = "transfer_letter", _("Transfer letter")
    INVESTIGATION_REPORT = "investigation_report", _("Investigation report on the suspected crime")
    SEIZED_ITEMS_LIST = "seized_items_list", _("List of seized items")
    APPRAISAL_REPORT = "appraisal_report", _("Test report or appraisal opinion")
    NON_PROSECUTION_DECISION = "non_prosecution_decision", _("Decision not to prosecute")
    PROCURATORIAL_OPINION = "procuratorial_opinion", _("Procuratorial opinion")
    CASE_FILE = "case_file", _("Case file")
    CLUE = "clue", _("Clue material")
    OTHER = "other", _("Other relevant material")


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved, to be sent")
    REJECTED = "rejected", _("Rejected by the head")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SENT = "sent", _("Sent, awaiting the receiver")
    RETURNED = "returned", _("Returned for materials")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    RECONSIDERATION = "reconsideration", _("Reconsideration requested")
    REFUSAL_UPHELD = "refusal_upheld", _("Refusal upheld on reconsideration")


# Order 310 art. 6 for suspected crimes; the others are this platform's
# defaults (unconfirmed), kept in settings like the periods.
DEFAULT_REQUIRED_MATERIALS = {
    TransferKind.SUSPECTED_CRIME: (
        MaterialKind.TRANSFER_LETTER, MaterialKind.INVESTIGATION_REPORT,
        MaterialKind.SEIZED_ITEMS_LIST, MaterialKind.APPRAISAL_REPORT,
    ),
    TransferKind.JURISDICTION: (MaterialKind.TRANSFER_LETTER, MaterialKind.CASE_FILE),
    TransferKind.CROSS_REGION: (MaterialKind.TRANSFER_LETTER, MaterialKind.CASE_FILE),
    TransferKind.REVERSE: (MaterialKind.NON_PROSECUTION_DECISION, MaterialKind.PROCURATORIAL_OPINION),
    TransferKind.CLUE_HANDOVER: (MaterialKind.CLUE,),
}

# step -> (amount, unit); unit is "hours", "days", "working_days" or "months".
DEFAULT_PERIODS = {
    "approve": (3, "days"),  # head decides on the officers' report (Order 730 art. 8)
    "send": (24, "hours"),  # to the police after approval (Order 730 art. 8)
    "decide": (3, "days"),  # police decide whether to open a case (Order 730 art. 9)
    "decide_other": (15, "working_days"),  # other receivers (unconfirmed default)
    "decide_reverse": (2, "months"),  # reply to a reverse transfer (unconfirmed default)
    "reconsider_request": (3, "days"),  # sender asks for reconsideration (Order 730 art. 9)
    "reconsider_decide": (3, "days"),  # police decide on reconsideration
    "hand_over": (3, "days"),  # items and files after police open the case (Order 730 art. 10)
    # Procuratorate supervision (domain.md): police explain a refusal within 7
    # days of the request; opening a case ordered by the procuratorate, 15 days.
    "explain_refusal": (7, "days"),
    "open_on_order": (15, "days"),
    "reply_to_opinion": (15, "working_days"),  # other opinions (unconfirmed default)
}


class OpinionKind(models.TextChoices):
    EXPLAIN_REFUSAL = "explain_refusal", _("Explain the refusal to open a case")
    ORDER_TO_OPEN = "open_on_order", _("Open a case (the procuratorate's notice)")
    OPINION = "reply_to_opinion", _("Supervision opinion")


def required_materials(kind: str) -> tuple[str, ...]:
    overrides = getattr(settings, "CASEHUB_TRANSFER_MATERIALS", {})
    return tuple(overrides.get(kind, DEFAULT_REQUIRED_MATERIALS[kind]))


def period(step: str) -> tuple[int, str]:
    return {**DEFAULT_PERIODS, **getattr(settings, "CASEHUB_TRANSFER_PERIODS", {})}[step]


ADMINISTRATIVE_KINDS = frozenset({
    AgencyKind.MARKET_SUPERVISION, AgencyKind.COPYRIGHT, AgencyKind.CULTURE_TOURISM, AgencyKind.AGRICULTURE,
    AgencyKind.FORESTRY, AgencyKind.COMMERCE, AgencyKind.CYBERSPACE, AgencyKind.CUSTOMS,
})


def routing_problem(kind: str, sender, receiver, sender_city: str, receiver_city: str) -> str | None:
    """Why `sender` may not send a transfer of `kind` to `receiver`, or None.
    Agencies are read by kind; cities are the region codes at city level."""
    if sender.pk == receiver.pk:
        return str(_("A case cannot be transferred to its own agency."))
    if not receiver.active:
        return str(_("The receiving agency is not active."))
    if kind == TransferKind.SUSPECTED_CRIME:
        if sender.kind not in ADMINISTRATIVE_KINDS:
            return str(_("Only an administrative enforcement agency transfers a suspected crime."))
        if receiver.kind != AgencyKind.POLICE:
            return str(_("A suspected crime goes to the police."))
    elif kind == TransferKind.REVERSE:
        if sender.kind != AgencyKind.PROCURATORATE:
            return str(_("Only a procuratorate makes a reverse transfer."))
        if receiver.kind not in ADMINISTRATIVE_KINDS:
            return str(_("A reverse transfer goes to an administrative agency."))
    elif kind == TransferKind.CROSS_REGION and sender_city == receiver_city:
        return str(_("A cross-region transfer goes to an agency of another city."))
    return None


def missing_materials(kind: str, attached: set[str]) -> list[str]:
    return [m for m in required_materials(kind) if m not in attached]


# --- the steps ---------------------------------------------------------------
SENDER, RECEIVER = "sender", "receiver"


@dataclass(frozen=True)
class Step:
    name: str
    sources: frozenset[str]
    target: str
    side: str  # whose members take it
    roles: frozenset[str]
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    event: str = ""


SENDER_HANDLERS = frozenset({Role.OFFICER, Role.REVIEWER, Role.HEAD, Role.LIAISON})
RECEIVER_DECIDERS = frozenset({Role.HEAD, Role.LIAISON})
S = TransferStatus

STEPS: dict[str, Step] = {
    s.name: s
    for s in [
        Step("approve", frozenset({S.PROPOSED}), S.APPROVED, SENDER, frozenset({Role.HEAD}), optional=("comment",),
             event="transfer_approved"),
        Step("reject", frozenset({S.PROPOSED}), S.REJECTED, SENDER, frozenset({Role.HEAD}), required=("reason",),
             event="transfer_rejected"),
        Step("withdraw", frozenset({S.PROPOSED, S.APPROVED, S.RETURNED}), S.WITHDRAWN, SENDER,
             frozenset({Role.HEAD, Role.OFFICER}), required=("reason",), event="transfer_withdrawn"),
        Step("send", frozenset({S.APPROVED}), S.SENT, SENDER, SENDER_HANDLERS, optional=("comment",),
             event="transfer_sent"),
        Step("resubmit", frozenset({S.RETURNED}), S.SENT, SENDER, SENDER_HANDLERS, optional=("comment",),
             event="transfer_resubmitted"),
        Step("accept", frozenset({S.SENT, S.RECONSIDERATION}), S.ACCEPTED, RECEIVER, RECEIVER_DECIDERS,
             optional=("receiver_case_number", "comment"), event="transfer_accepted"),
        Step("return", frozenset({S.SENT}), S.RETURNED, RECEIVER, RECEIVER_DECIDERS, required=("reason",),
             event="transfer_returned"),
        Step("refuse", frozenset({S.SENT}), S.REFUSED, RECEIVER, RECEIVER_DECIDERS, required=("reason",),
             event="transfer_refused"),
        Step("request_reconsideration", frozenset({S.REFUSED}), S.RECONSIDERATION, SENDER, frozenset({Role.HEAD}),
             required=("reason",), event="transfer_reconsideration_requested"),
        Step("uphold_refusal", frozenset({S.RECONSIDERATION}), S.REFUSAL_UPHELD, RECEIVER, RECEIVER_DECIDERS,
             required=("reason",), event="transfer_refusal_upheld"),
    ]
}
FINAL = frozenset({S.REJECTED, S.WITHDRAWN, S.ACCEPTED, S.REFUSAL_UPHELD})
# Materials are added before sending, or after a return for materials.
MATERIAL_STATUSES = frozenset({S.PROPOSED, S.APPROVED, S.RETURNED})
# The sender asks the procuratorate to supervise after a refusal.
SUPERVISION_STATUSES = frozenset({S.REFUSED, S.RECONSIDERATION, S.REFUSAL_UPHELD})
# The procuratorate's supervisors issue opinions; the receiver's head and
# liaison reply to them.
SUPERVISORS = frozenset({Role.SUPERVISOR, Role.HEAD})
OPINION_REPLIERS = frozenset({Role.HEAD, Role.LIAISON})


class StepRefused(Refused):
    pass


class IllegalStep(StepRefused):
    """The step does not apply to the transfer's status (HTTP 409, with the
    steps that do)."""

    def __init__(self, step: str, status: str, allowed: list[str]):
        message = _("This step cannot be taken while the transfer is %(status)s.") % {
            "status": TransferStatus(status).label}
        super().__init__({"detail": [message]}, kind=Kind.CONFLICT,
                         extra={"status": status, "allowed_steps": allowed})
        self.step, self.status, self.allowed = step, status, allowed


class SideRefused(StepRefused):
    """The actor is not on the side (sender or receiver) that takes this step,
    or lacks the role."""

    def __init__(self, step: str):
        super().__init__({"detail": [_("Your agency and role do not take this step.")]}, kind=Kind.FORBIDDEN)
        self.step = step


class StepFieldProblems(StepRefused):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors, kind=Kind.INVALID)


def available_steps(status: str, roles_by_side: dict[str, frozenset[str]]) -> list[str]:
    return [
        s.name for s in STEPS.values()
        if status in s.sources and roles_by_side.get(s.side, frozenset()) & s.roles
    ]


def plan_step(name: str, status: str, roles_by_side: dict[str, frozenset[str]], data: dict,
              kind: str | None = None) -> Step:
    step = STEPS.get(name)
    if step is None:
        raise StepFieldProblems({"step": [str(_("Unknown step."))]})
    if status not in step.sources:
        raise IllegalStep(name, status, available_steps(status, roles_by_side))
    if not roles_by_side.get(step.side, frozenset()) & step.roles:
        raise SideRefused(name)
    errors = {f: [str(_("This field is required for this step."))] for f in step.required if not data.get(f)}
    errors.update({f: [str(_("This field does not belong to this step."))]
                   for f in sorted(set(data) - set(step.required) - set(step.optional))})
    if name == "accept" and kind == TransferKind.SUSPECTED_CRIME and not data.get("receiver_case_number"):
        # Police accept a suspected crime by opening a criminal case (立案).
        errors["receiver_case_number"] = [str(_("Record the number of the criminal case opened."))]
    if errors:
        raise StepFieldProblems(errors)
    return step


# --- deadlines ---------------------------------------------------------------
def deadline_step(status: str, kind: str, handed_over: bool = False) -> str | None:
    """The step whose deadline runs in this status."""
    if status == S.ACCEPTED:
        # After the police open the case the sender hands over items and files.
        return "hand_over" if kind == TransferKind.SUSPECTED_CRIME and not handed_over else None
    if status == S.PROPOSED:
        return "approve"
    if status == S.APPROVED:
        return "send"
    if status == S.SENT:
        return {"suspected_crime": "decide", "reverse": "decide_reverse"}.get(kind, "decide_other")
    if status == S.REFUSED:
        return "reconsider_request"
    if status == S.RECONSIDERATION:
        return "reconsider_decide"
    return None


def due(step: str, since: datetime, cal) -> datetime | date:
    """When a step falls due: a moment for periods in hours, otherwise the
    last day of the period (counted by the working-day calendar)."""
    from .working_days import add_period

    amount, unit = period(step)
    if unit == "hours":
        return since + timedelta(hours=amount)
    # Days count from the local (Asia/Shanghai) day the step began.
    start = timezone.localtime(since).date() if isinstance(since, datetime) else since
    return add_period(cal, start, amount, unit)
