"""What a person's workbench (工作台) shows, in the agency they work as:
their cases whose deadline is near or past, the cases waiting for a step
only they (by their role) can take, the transfers and assistance requests
that came to their agency. (Their unread notifications are the
notifications app's: the web page adds them; the core never imports a
subscriber.)

Everything is read through the access module (a case, transfer or request
the user may not see is never counted) and "waiting for me" is what the
workflow says the user may do now (workflow.available, the transfer steps'
available_steps), not a list of roles kept here. A fixed number of queries
whatever the number of cases: one per section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import access
from ..calendar import working_calendar
from ..models import AssistanceStatus, Case, ClockStop, DeadlineExtension, Transfer
from ..rules import deadlines as deadline_rules
from ..rules import transfers as transfer_rules
from ..rules import workflow
from . import deadlines

# "Due soon": within this many working days (the workbench's horizon).
SOON_WORKING_DAYS = 3
# Rows shown per table; the count is of all of them.
ROWS_SHOWN = 5


@dataclass(frozen=True)
class Desk:
    """A kind of case that waits for the user: the workflow action that
    clears it, and what else makes a case land on it."""

    key: str
    label: str
    action: str
    # Only cases the user handles (lead officer or handler).
    mine_only: bool = False
    # Only cases whose running deadline falls within the horizon (or passed),
    # and which the rules still let the head extend (deadlines.extension_allowed).
    extendable: bool = False


DESKS = (
    Desk("to_file", _("Leads to file"), "file"),
    Desk("to_decide", _("Cases under review to decide"), "decide"),
    Desk("to_extend", _("Deadlines near that can be extended"), "extend_deadline", extendable=True),
    Desk("to_submit", _("Investigations to submit for review"), "submit_for_review", mine_only=True),
)

# Transfer steps that move a transfer on (withdrawing one is possible for
# long and waits for nobody).
_FORWARD_SENDER_STEPS = frozenset({"approve", "send", "resubmit", "request_reconsideration"})


@dataclass
class Section:
    count: int = 0
    rows: list = field(default_factory=list)
    # The case list's filters that show these cases (list parameter names).
    filters: dict = field(default_factory=dict)


@dataclass
class DeskSection(Section):
    desk: Desk | None = None


@dataclass
class Workbench:
    agency_id: int
    # Whether the user handles cases in the agency (has cases of their own).
    handles_cases: bool
    soon: date
    overdue: Section
    due_soon: Section
    desks: list[DeskSection]
    outgoing_transfers: Section | None
    incoming_transfers: Section
    supervised_transfers: Section
    incoming_assistance: Section


def _handles(user):
    """The user is the case's lead officer or one of its handlers."""
    handled = Case.handlers.through.objects.filter(case_id=OuterRef("pk"), user_id=user.pk)
    return Q(lead_officer_id=user.pk) | Exists(handled)


def _case_row(case: Case, cal, today: date, actions=()) -> dict:
    return {
        "id": case.pk, "number": case.number, "title": case.title, "status": case.status,
        "deadline": deadlines.describe_values(case.next_deadline, case.next_deadline_on, case.deadline_warning,
                                              cal, today),
        "actions": [{"name": a, "label": workflow.ACTIONS[a].label} for a in actions],
    }


_CASE_FIELDS = ("id", "number", "title", "status", "kind", "outcome", "status_before_suspension",
                "lead_received_on", "filed_on", "next_deadline", "next_deadline_on", "deadline_warning")


def _my_deadlines(user, agency_id: int, today: date, soon: date, cal) -> tuple[Section, Section]:
    """My cases (lead officer or handler) due within the horizon, and past due."""
    rows = (access.visible_cases(user).filter(owning_agency_id=agency_id, next_deadline_on__lte=soon)
            .filter(_handles(user)).only(*_CASE_FIELDS).order_by("next_deadline_on", "id"))
    overdue, due = [], []
    for case in rows:
        (overdue if case.next_deadline_on < today else due).append(_case_row(case, cal, today))
    return (
        Section(len(overdue), overdue[:ROWS_SHOWN], {"agency": agency_id, "mine": "true", "overdue": "true"}),
        Section(len(due), due[:ROWS_SHOWN], {"agency": agency_id, "mine": "true", "overdue": "false",
                                             "due_before": soon.isoformat()}),
    )


def _desks(user, agency_id: int, today: date, soon: date, cal) -> list[DeskSection]:
    """Cases of the agency on which the workflow lets the user take a
    desk's action now. One query for all desks: the candidates (the desks'
    source statuses, for the desks whose action the user's roles allow),
    with the facts the workflow's guards look at."""
    roles = access.roles_in(user, agency_id)
    desks = [d for d in DESKS if roles & workflow.ACTIONS[d.action].roles]
    if not desks:
        return []
    condition = Q()
    for desk in desks:
        part = Q(status__in=workflow.ACTIONS[desk.action].sources)
        if desk.extendable:
            part &= Q(next_deadline_on__lte=soon)
        if desk.mine_only:
            part &= _handles(user)
        condition |= part
    handlers = (Case.handlers.through.objects.filter(case_id=OuterRef("pk")).values("case_id")
                .annotate(n=Count("*")).values("n"))
    candidates = (
        access.visible_cases(user).filter(owning_agency_id=agency_id).filter(condition)
        .only(*_CASE_FIELDS)
        .annotate(
            handler_count=Coalesce(Subquery(handlers, output_field=IntegerField()), 0),
            clock_stopped=Exists(ClockStop.objects.filter(case_id=OuterRef("pk"), restarted_on__isnull=True)),
            extended=Exists(DeadlineExtension.objects.filter(case_id=OuterRef("pk"), deadline=OuterRef("next_deadline"))),
            mine=ExpressionWrapper(_handles(user), output_field=BooleanField()),
        )
        .order_by("next_deadline_on", "id")
    )
    sections = {d.key: DeskSection(desk=d, filters=_desk_filters(d, agency_id, soon)) for d in desks}
    for case in candidates:
        facts = workflow.CaseFacts(status=case.status, kind=case.kind, handler_count=case.handler_count,
                                   outcome=case.outcome or None,
                                   status_before_suspension=case.status_before_suspension or None,
                                   clock_stopped=case.clock_stopped)
        available = workflow.available(facts, roles)
        for desk in desks:
            if desk.action not in available or (desk.mine_only and not case.mine):
                continue
            if desk.extendable and not _extendable(case, soon):
                continue
            section = sections[desk.key]
            section.count += 1
            if len(section.rows) < ROWS_SHOWN:
                section.rows.append(_case_row(case, cal, today, [desk.action]))
    return [sections[d.key] for d in desks]


def _extendable(case, soon: date) -> bool:
    """The running deadline is near (or past) and the head's one extension
    of it is still unused (rules.deadlines.extension_allowed)."""
    if not case.next_deadline or case.next_deadline_on is None or case.next_deadline_on > soon:
        return False
    used = (deadline_rules.Extension(case.next_deadline),) if case.extended else ()
    facts = deadline_rules.DeadlineFacts(status=case.status, lead_received_on=case.lead_received_on,
                                         filed_on=case.filed_on, extensions=used)
    return deadline_rules.extension_allowed(case.next_deadline, facts) is not None


def _desk_filters(desk: Desk, agency_id: int, soon: date) -> dict:
    filters = {"agency": agency_id, "status": sorted(workflow.ACTIONS[desk.action].sources)}
    if desk.extendable:
        filters["due_before"] = soon.isoformat()
    if desk.mine_only:
        filters["mine"] = "true"
    return filters


def _step_deadline(due_at: datetime | None, cal, today: date, now: datetime) -> dict | None:
    """A transfer step's deadline in the shape of a case deadline (the
    same chip shows it)."""
    if due_at is None:
        return None
    day = timezone.localtime(due_at).date()
    return {"name": "step", "due_on": day, "due_at": due_at, "paused": False,
            "working_days_left": cal.working_days_between(today, day), "overdue": due_at < now, "warning": None}


def _transfer_row(user, transfer: Transfer, side: str | None, cal, today, now) -> dict:
    steps = transfer_rules.available_steps(transfer.status, access.transfer_sides(user, transfer))
    if side is not None:
        steps = [s for s in steps if transfer_rules.STEPS[s].side == side]
    if side == transfer_rules.SENDER:
        steps = [s for s in steps if s in _FORWARD_SENDER_STEPS]
    return {
        "id": transfer.pk, "case_id": transfer.case_id, "case_number": transfer.case.number,
        "case_title": transfer.case.title, "kind": transfer.get_kind_display(),
        "status": transfer.get_status_display(), "from_agency": transfer.from_agency.name,
        "to_agency": transfer.to_agency.name,
        "steps": [{"name": s, "label": STEP_LABELS.get(s, s)} for s in steps],
        "deadline": _step_deadline(transfer.due_at, cal, today, now),
    }


def _transfers(user, queryset, side, cal, today, now, *, keep=lambda row: True) -> Section:
    rows = [_transfer_row(user, t, side, cal, today, now)
            for t in queryset.select_related("case", "from_agency", "to_agency").order_by("due_at", "id")]
    rows = [r for r in rows if keep(r)]
    return Section(len(rows), rows[:ROWS_SHOWN])


def _receiver_statuses() -> set[str]:
    """Where a transfer waits for its receiver (the receiver's steps' sources)."""
    return {s for step in transfer_rules.STEPS.values() if step.side == transfer_rules.RECEIVER for s in step.sources}


def _outgoing(user, transfers, agency_id: int, cal, today, now) -> Section | None:
    """My agency's transfers waiting for a step that moves them on and that
    my roles take (the head's approval, sending, resubmitting); None when
    my roles take none."""
    roles = access.roles_in(user, agency_id)
    steps = [s for s in transfer_rules.STEPS.values()
             if s.side == transfer_rules.SENDER and s.name in _FORWARD_SENDER_STEPS and roles & s.roles]
    if not steps:
        return None
    statuses = {status for s in steps for status in s.sources}
    return _transfers(user, transfers.filter(from_agency_id=agency_id, status__in=statuses), transfer_rules.SENDER,
                      cal, today, now, keep=lambda row: bool(row["steps"]))


def _incoming_assistance(user, agency_id: int, cal, today: date) -> Section:
    """Open requests my agency was asked to answer. The asked agency sees
    the request, not the case: rows name the case's number only."""
    rows = (access.visible_assistance(user).filter(to_agency_id=agency_id, status=AssistanceStatus.OPEN)
            .select_related("from_agency", "case").order_by("due_on", "id"))
    items = [{
        "id": item.pk, "subject": item.subject, "case_number": item.case.number,
        "from_agency": item.from_agency.name, "requested_at": item.requested_at,
        "deadline": deadlines.describe_values("assistance", item.due_on, "", cal, today),
    } for item in rows]
    return Section(len(items), items[:ROWS_SHOWN])


def soon_date(today: date, cal=None) -> date:
    """The last day of the workbench's horizon."""
    return (cal or working_calendar()).add_working_days(today, SOON_WORKING_DAYS)


def read_workbench(user, agency_id: int | None) -> Workbench | None:
    """The workbench of `user` working as `agency_id` (one of theirs), or
    None when they belong to no agency."""
    if agency_id is None or agency_id not in access.agency_ids(user):
        return None
    cal = working_calendar()
    today, now = timezone.localdate(), timezone.now()
    soon = soon_date(today, cal)
    overdue, due_soon = _my_deadlines(user, agency_id, today, soon, cal)
    transfers = access.visible_transfers(user)
    return Workbench(
        agency_id=agency_id, handles_cases=agency_id in access.case_opening_agency_ids(user), soon=soon, overdue=overdue, due_soon=due_soon,
        desks=_desks(user, agency_id, today, soon, cal),
        outgoing_transfers=_outgoing(user, transfers, agency_id, cal, today, now),
        incoming_transfers=_transfers(
            user, transfers.filter(to_agency_id=agency_id, status__in=_receiver_statuses()),
            transfer_rules.RECEIVER, cal, today, now),
        supervised_transfers=_transfers(
            user, transfers.filter(supervising_agency_id=agency_id, sent_at__isnull=False)
            .exclude(status__in=transfer_rules.FINAL), None, cal, today, now),
        incoming_assistance=_incoming_assistance(user, agency_id, cal, today),
    )


# What each transfer step is called (the procedure's words, shared/ui.md).
STEP_LABELS = {
    "approve": _("Approve the transfer"), "reject": _("Reject the transfer"), "withdraw": _("Withdraw the transfer"),
    "send": _("Send"), "resubmit": _("Resubmit"), "accept": _("Accept"), "return": _("Return for more materials"),
    "refuse": _("Refuse to open a case"), "request_reconsideration": _("Request reconsideration"),
    "uphold_refusal": _("Uphold the refusal"),
}
