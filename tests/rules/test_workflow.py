import pytest

from agencies.roles import Role
from casehub.rules.workflow import (
    ACTIONS,
    CaseFacts,
    FieldProblems,
    GuardFailed,
    IllegalTransition,
    Outcome,
    RoleRefused,
    Status,
    UnknownAction,
    available,
    plan,
)

ALL_ROLES = set(Role.values)
ADMIN = "administrative_penalty"

# Data that satisfies each action's required fields and guards.
GOOD_DATA = {
    "file": {},
    "refuse_filing": {"reason": "不属于本机关管辖"},
    "start_investigation": {},
    "submit_for_review": {"report": "调查终结报告"},
    "return_for_investigation": {"reason": "证据不足"},
    "decide": {"outcome": "penalty", "decision_date": "2026-05-10", "penalties": ["fine"], "fine_amount": "50000",
               "decision_number": "宜市监处罚〔2026〕7号"},
    "start_execution": {},
    "close": {"summary": "罚款已缴纳"},
    "suspend": {"reason": "等待鉴定"},
    "resume": {},
    "withdraw": {"reason": "重复登记"},
    "stop_clock": {"reason": "appraisal"},
    "restart_clock": {},
    "extend_deadline": {"deadline": "decision", "reason": "案情复杂"},
    "set_deadline_collectively": {"due_on": "2026-12-01", "meeting_date": "2026-09-01", "reason": "集体讨论"},
}


def facts_for(action_name, status):
    """Facts under which the action's state guards pass."""
    return CaseFacts(
        status=status, kind=ADMIN, handler_count=2,
        outcome=Outcome.PENALTY if action_name in {"start_execution"} or status == Status.EXECUTING else Outcome.NO_PENALTY,
        status_before_suspension=Status.UNDER_REVIEW,
        clock_stopped=action_name == "restart_clock",
    )


def test_every_action_has_data_in_this_test():
    assert set(GOOD_DATA) == set(ACTIONS)


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_allowed_from_each_source_with_its_role(name):
    action = ACTIONS[name]
    for status in action.sources:
        chosen, target = plan(name, facts_for(name, status), action.roles, GOOD_DATA[name])
        assert chosen is action
        assert target in Status.values


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_refused_from_every_other_status_with_409_and_the_allowed_list(name):
    action = ACTIONS[name]
    for status in set(Status.values) - action.sources:
        with pytest.raises(IllegalTransition) as refused:
            plan(name, facts_for(name, status), ALL_ROLES, GOOD_DATA[name])
        assert name not in refused.value.allowed
        assert set(refused.value.allowed) <= {n for n, a in ACTIONS.items() if status in a.sources}


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_refused_to_roles_without_the_right(name):
    action = ACTIONS[name]
    others = ALL_ROLES - action.roles
    assert others, name
    status = next(iter(action.sources))
    with pytest.raises(RoleRefused):
        plan(name, facts_for(name, status), others, GOOD_DATA[name])


def test_filing_needs_two_handlers_for_an_administrative_case():
    with pytest.raises(GuardFailed):
        plan("file", CaseFacts(status=Status.LEAD, kind=ADMIN, handler_count=1), {Role.HEAD}, {})
    # A mediation case is not bound by the two-handler rule.
    plan("file", CaseFacts(status=Status.LEAD, kind="mediation", handler_count=1), {Role.HEAD}, {})


def test_missing_and_foreign_fields_are_field_errors():
    with pytest.raises(FieldProblems) as problems:
        plan("refuse_filing", CaseFacts(status=Status.LEAD, kind=ADMIN), {Role.HEAD}, {"fine_amount": 3})
    assert set(problems.value.errors) == {"reason", "fine_amount"}


@pytest.mark.parametrize(
    "data",
    [
        {"outcome": "penalty", "decision_date": "2026-05-10", "decision_number": "x"},  # no penalty named
        {"outcome": "penalty", "decision_date": "2026-05-10", "penalties": ["fine"], "decision_number": "x"},  # no amount
        {"outcome": "penalty", "decision_date": "2026-05-10", "penalties": ["warning"]},  # no document number
        {"outcome": "no_penalty", "decision_date": "2026-05-10"},  # no reason
        {"outcome": "no_penalty", "decision_date": "2026-05-10", "reason": "r", "penalties": ["fine"]},
    ],
)
def test_inconsistent_decisions_are_refused(data):
    with pytest.raises(GuardFailed):
        plan("decide", CaseFacts(status=Status.UNDER_REVIEW, kind=ADMIN), {Role.REVIEWER}, data)


def test_penalty_must_be_executed_before_closing_but_no_penalty_closes_directly():
    decided_penalty = CaseFacts(status=Status.DECIDED, kind=ADMIN, outcome=Outcome.PENALTY)
    assert "close" not in available(decided_penalty, {Role.HEAD})
    assert "start_execution" in available(decided_penalty, {Role.HEAD})
    decided_nothing = CaseFacts(status=Status.DECIDED, kind=ADMIN, outcome=Outcome.NO_PENALTY)
    assert "close" in available(decided_nothing, {Role.HEAD})
    assert "start_execution" not in available(decided_nothing, {Role.HEAD})


def test_resume_returns_to_the_status_before_suspension():
    facts = CaseFacts(status=Status.SUSPENDED, kind=ADMIN, status_before_suspension=Status.UNDER_REVIEW)
    assert plan("resume", facts, {Role.HEAD}, {})[1] == Status.UNDER_REVIEW


def test_clock_cannot_stop_twice_or_restart_when_running():
    running = CaseFacts(status=Status.INVESTIGATING, kind=ADMIN)
    assert "stop_clock" in available(running, {Role.OFFICER})
    assert "restart_clock" not in available(running, {Role.OFFICER})
    stopped = CaseFacts(status=Status.INVESTIGATING, kind=ADMIN, clock_stopped=True)
    with pytest.raises(GuardFailed):
        plan("stop_clock", stopped, {Role.OFFICER}, {"reason": "appraisal"})


def test_final_statuses_allow_nothing():
    for status in (Status.CLOSED, Status.WITHDRAWN, Status.NOT_FILED):
        assert available(CaseFacts(status=status, kind=ADMIN), ALL_ROLES) == []


def test_unknown_action():
    with pytest.raises(UnknownAction):
        plan("teleport", CaseFacts(status=Status.LEAD, kind=ADMIN), ALL_ROLES, {})


def test_officer_cannot_decide_or_file():
    facts = CaseFacts(status=Status.UNDER_REVIEW, kind=ADMIN)
    assert "decide" not in available(facts, {Role.OFFICER})
    assert "decide" in available(facts, {Role.REVIEWER})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"outcome": "penalty", "decision_date": "2026-05-10", "decision_number": "x"}, "penalties"),
        ({"outcome": "penalty", "decision_date": "2026-05-10", "penalties": ["fine"], "decision_number": "x"},
         "fine_amount"),
        ({"outcome": "penalty", "decision_date": "2026-05-10", "penalties": ["warning"]}, "decision_number"),
        ({"outcome": "no_penalty", "decision_date": "2026-05-10"}, "reason"),
    ],
)
def test_a_decision_problem_names_its_field(data, field):
    with pytest.raises(GuardFailed) as refused:
        plan("decide", CaseFacts(status=Status.UNDER_REVIEW, kind=ADMIN), {Role.REVIEWER}, data)
    assert list(refused.value.errors) == [field]
