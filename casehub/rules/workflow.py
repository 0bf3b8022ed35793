"""The case state machine: every status, every action between them, who may
take it, what it needs, and what it writes to the timeline.

Procedure: 《市场监督管理行政处罚程序规定》 (2022) — filing needs the agency
head's approval (立案), the penalty decision follows legal review and the
head's decision; State Council Order 730 art. 5 for at least two handlers.

Plain data and functions: the API and the model layer call ``plan()`` and
act on its answer; nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.roles import Role

from .refusal import NON_FIELD, Kind, Refused


class Status(models.TextChoices):
    LEAD = "lead", _("Lead")
    NOT_FILED = "not_filed", _("Not filed")
    FILED = "filed", _("Filed")
    INVESTIGATING = "investigating", _("Under investigation")
    UNDER_REVIEW = "under_review", _("Under review")
    DECIDED = "decided", _("Decided")
    EXECUTING = "executing", _("Executing")
    CLOSED = "closed", _("Closed")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Outcome(models.TextChoices):
    PENALTY = "penalty", _("Administrative penalty")
    NO_PENALTY = "no_penalty", _("No penalty")
    TRANSFER = "transfer", _("Transfer for suspected crime")


class PenaltyType(models.TextChoices):
    WARNING = "warning", _("Warning")
    CIRCULAR = "circular", _("Circular of criticism")
    FINE = "fine", _("Fine")
    CONFISCATE_GAINS = "confiscate_gains", _("Confiscation of unlawful gains")
    CONFISCATE_GOODS = "confiscate_goods", _("Confiscation of infringing goods")
    ORDER_TO_STOP = "order_to_stop", _("Order to stop the infringement")


OPEN_STATUSES = frozenset({Status.LEAD, Status.FILED, Status.INVESTIGATING, Status.UNDER_REVIEW})
FINAL_STATUSES = frozenset({Status.NOT_FILED, Status.CLOSED, Status.WITHDRAWN})

HANDLERS = frozenset({Role.OFFICER, Role.REVIEWER, Role.HEAD})
DECIDERS = frozenset({Role.REVIEWER, Role.HEAD})
HEAD_ONLY = frozenset({Role.HEAD})

# The fewest handlers an administrative case may be filed with (Order 730 art. 5).
MIN_HANDLERS_ADMINISTRATIVE = 2


@dataclass(frozen=True)
class CaseFacts:
    """What a guard may look at, gathered by the caller."""

    status: str
    kind: str
    handler_count: int = 0
    outcome: str | None = None
    status_before_suspension: str | None = None
    clock_stopped: bool = False


# A guard answers None, a message, or (field, message) for a problem with one field of the data.
Guard = Callable[[CaseFacts, Mapping], "str | tuple[str, str] | None"]


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the target is computed (resume)
    roles: frozenset[str]
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    guards: tuple[Guard, ...] = field(default=())
    event: str = ""

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(self.required) | frozenset(self.optional)


def _needs_two_handlers(facts: CaseFacts, data: Mapping) -> str | None:
    if facts.kind in ADMINISTRATIVE_KINDS and facts.handler_count < MIN_HANDLERS_ADMINISTRATIVE:
        return str(_("An administrative case needs at least two handlers before it is filed."))
    return None


def _decision_consistent(facts: CaseFacts, data: Mapping) -> str | tuple[str, str] | None:
    outcome = data.get("outcome")
    penalties = set(data.get("penalties") or ())
    # Each problem names the field it is about, so a form shows it there.
    if outcome == Outcome.PENALTY:
        if not penalties:
            return "penalties", str(_("A penalty decision names at least one penalty."))
        if not data.get("decision_number"):
            return "decision_number", str(_("A penalty decision needs its decision document number."))
        if PenaltyType.FINE in penalties and not data.get("fine_amount"):
            return "fine_amount", str(_("A fine needs its amount."))
    elif penalties:
        return "penalties", str(_("Only a penalty decision carries penalties."))
    if outcome in (Outcome.NO_PENALTY, Outcome.TRANSFER) and not data.get("reason"):
        return "reason", str(_("Give the reason for this outcome."))
    return None


def _execution_needs_penalty(facts: CaseFacts, data: Mapping) -> str | None:
    if facts.outcome != Outcome.PENALTY:
        return str(_("Only a penalty decision is executed; close the case instead."))
    return None


def _closing_from_decided(facts: CaseFacts, data: Mapping) -> str | None:
    if facts.status == Status.DECIDED and facts.outcome == Outcome.PENALTY:
        return str(_("A penalty must be executed before the case is closed."))
    return None


def _clock_running(facts: CaseFacts, data: Mapping) -> str | None:
    return str(_("The clock is already stopped.")) if facts.clock_stopped else None


def _clock_stopped(facts: CaseFacts, data: Mapping) -> str | None:
    return None if facts.clock_stopped else str(_("The clock is not stopped."))


ADMINISTRATIVE_KINDS = frozenset({"administrative_penalty", "patent_adjudication"})
CLOCK_STATUSES = frozenset({Status.LEAD, Status.FILED, Status.INVESTIGATING, Status.UNDER_REVIEW})

ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action("file", _("File the case"), frozenset({Status.LEAD}), Status.FILED, HEAD_ONLY,
               optional=("filed_on", "comment"), guards=(_needs_two_handlers,), event="filed"),
        Action("refuse_filing", _("Decide not to file"), frozenset({Status.LEAD}), Status.NOT_FILED, HEAD_ONLY,
               required=("reason",), event="not_filed"),
        Action("start_investigation", _("Start the investigation"), frozenset({Status.FILED}), Status.INVESTIGATING,
               HANDLERS, optional=("comment",), event="investigation_started"),
        Action("submit_for_review", _("Submit for review"), frozenset({Status.INVESTIGATING}), Status.UNDER_REVIEW,
               HANDLERS, required=("report",), event="submitted_for_review"),
        Action("return_for_investigation", _("Return for further investigation"), frozenset({Status.UNDER_REVIEW}),
               Status.INVESTIGATING, DECIDERS, required=("reason",), event="returned_for_investigation"),
        Action("decide", _("Record the decision"), frozenset({Status.UNDER_REVIEW}), Status.DECIDED, DECIDERS,
               required=("outcome", "decision_date"),
               optional=("penalties", "fine_amount", "confiscated_amount", "decision_number", "legal_basis", "reason"),
               guards=(_decision_consistent,), event="decided"),
        Action("start_execution", _("Start execution"), frozenset({Status.DECIDED}), Status.EXECUTING, HANDLERS,
               optional=("comment",), guards=(_execution_needs_penalty,), event="execution_started"),
        Action("close", _("Close the case"), frozenset({Status.EXECUTING, Status.DECIDED}), Status.CLOSED, DECIDERS,
               required=("summary",), guards=(_closing_from_decided,), event="closed"),
        Action("suspend", _("Suspend"), frozenset({Status.FILED, Status.INVESTIGATING, Status.UNDER_REVIEW}),
               Status.SUSPENDED, HEAD_ONLY, required=("reason",), event="suspended"),
        Action("resume", _("Resume"), frozenset({Status.SUSPENDED}), None, HEAD_ONLY, optional=("comment",),
               event="resumed"),
        Action("withdraw", _("Withdraw"), frozenset(OPEN_STATUSES | {Status.SUSPENDED}), Status.WITHDRAWN, HEAD_ONLY,
               required=("reason",), event="withdrawn"),
        # Acts on the statutory clock that leave the status as it is.
        Action("stop_clock", _("Stop the clock"), CLOCK_STATUSES, None, HANDLERS, required=("reason",),
               optional=("comment",), guards=(_clock_running,), event="clock_stopped"),
        Action("restart_clock", _("Restart the clock"), CLOCK_STATUSES, None, HANDLERS, optional=("comment",),
               guards=(_clock_stopped,), event="clock_restarted"),
        Action("extend_deadline", _("Extend the deadline"), frozenset({Status.LEAD, Status.FILED, Status.INVESTIGATING, Status.UNDER_REVIEW}),
               None, HEAD_ONLY, required=("deadline", "reason"), event="deadline_extended"),
        Action("set_deadline_collectively", _("Set the deadline by collective decision"),
               frozenset({Status.FILED, Status.INVESTIGATING, Status.UNDER_REVIEW}), None, HEAD_ONLY,
               required=("due_on", "meeting_date", "reason"), event="deadline_set_collectively"),
    ]
}


class Refusal(Refused):
    """Base of the reasons an action cannot be taken now (the one refusal
    type, so the API and the audit treat them like any other)."""


class UnknownAction(Refusal):
    def __init__(self, action: str):
        super().__init__({"action": [_("Unknown action.")]}, kind=Kind.INVALID)
        self.action = action


class IllegalTransition(Refusal):
    """The action does not apply to the case's status (HTTP 409, with the
    actions that do)."""

    def __init__(self, action: str, status: str, allowed: list[str]):
        message = _("“%(action)s” cannot be taken while the case is %(status)s.") % {
            "action": ACTIONS[action].label, "status": Status(status).label}
        super().__init__({"detail": [message]}, kind=Kind.CONFLICT,
                         extra={"status": status, "allowed_actions": allowed})
        self.action, self.status, self.allowed = action, status, allowed


class RoleRefused(Refusal):
    """The actor holds none of the roles the action needs (HTTP 403)."""

    def __init__(self, action: str):
        super().__init__({"detail": [_("Your role in the owning agency does not allow this action.")]},
                         kind=Kind.FORBIDDEN)
        self.action = action


class GuardFailed(Refusal):
    """The case or the data does not meet the action's condition (HTTP 409
    for the case's state, 400 for the data)."""

    def __init__(self, message: str, *, about_state: bool = False, field: str | None = None):
        if about_state:
            super().__init__({"detail": [message]}, kind=Kind.CONFLICT)
        else:
            super().__init__({field or NON_FIELD: [message]}, kind=Kind.INVALID)
        self.about_state = about_state


class FieldProblems(Refusal):
    """Missing or foreign fields (HTTP 400): field -> messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors, kind=Kind.INVALID)


def target_status(action: Action, facts: CaseFacts) -> str:
    if action.name == "resume":
        return facts.status_before_suspension or Status.INVESTIGATING
    return action.target or facts.status


def available(facts: CaseFacts, roles: Iterable[str]) -> list[str]:
    """Actions the holder of `roles` may take on the case now (guards that
    depend on submitted data are checked when the action is taken)."""
    held = set(roles)
    names = []
    for action in ACTIONS.values():
        if facts.status in action.sources and held & action.roles:
            if all(guard(facts, {}) is None for guard in action.guards if guard in STATE_GUARDS):
                names.append(action.name)
    return names


STATE_GUARDS = frozenset({_needs_two_handlers, _execution_needs_penalty, _closing_from_decided, _clock_running, _clock_stopped})


def plan(name: str, facts: CaseFacts, roles: Iterable[str], data: Mapping) -> tuple[Action, str]:
    """Check an action; return it with the status the case moves to, or raise
    the Refusal that says why not. Order: unknown, state, role, fields, guards."""
    action = ACTIONS.get(name)
    if action is None:
        raise UnknownAction(name)
    if facts.status not in action.sources:
        raise IllegalTransition(name, facts.status, [a for a in available(facts, roles)])
    if not set(roles) & action.roles:
        raise RoleRefused(name)
    errors: dict[str, list[str]] = {}
    for missing in (f for f in action.required if data.get(f) in (None, "", [])):
        errors[missing] = [str(_("This field is required for this action."))]
    for foreign in sorted(set(data) - action.fields):
        errors[foreign] = [str(_("This field does not belong to this action."))]
    if errors:
        raise FieldProblems(errors)
    for guard in action.guards:
        problem = guard(facts, data)
        if problem:
            field_name, message = problem if isinstance(problem, tuple) else (None, problem)
            raise GuardFailed(message, about_state=guard in STATE_GUARDS, field=field_name)
    return action, target_status(action, facts)
