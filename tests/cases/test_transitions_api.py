from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from casehub.models import Case, ClockStop, DeadlineExtension
from tests.factories import Office, make_case

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/"


@pytest.fixture
def office():
    return Office()


def act(api, user, case, action, **fields):
    api.force_authenticate(user)
    return api.post(f"{URL}{case.pk}/transitions/", {"action": action, **fields}, format="json")


def test_a_case_from_lead_to_closure(api, office):
    case = make_case(office)
    today = timezone.localdate().isoformat()
    steps = [
        (office.head, "file", {}, "filed"),
        (office.officer, "start_investigation", {}, "investigating"),
        (office.officer, "stop_clock", {"reason": "appraisal"}, "investigating"),
        (office.officer, "restart_clock", {}, "investigating"),
        (office.officer, "submit_for_review", {"report": "调查终结报告：事实清楚，证据确凿。"}, "under_review"),
        (office.reviewer, "return_for_investigation", {"reason": "补充进货凭证"}, "investigating"),
        (office.officer2, "submit_for_review", {"report": "补充调查后的报告"}, "under_review"),
        (office.head, "decide", {"outcome": "penalty", "decision_date": today, "penalties": ["fine", "confiscate_goods"],
                                 "fine_amount": "150000.00", "decision_number": "宜市监处罚〔2026〕88号",
                                 "legal_basis": "《中华人民共和国商标法》第六十条第二款"}, "decided"),
        (office.officer, "start_execution", {}, "executing"),
        (office.reviewer, "close", {"summary": "罚没款已缴清"}, "closed"),
    ]
    for user, action, fields, expected in steps:
        response = act(api, user, case, action, **fields)
        assert response.status_code == 200, (action, response.content)
        assert response.json()["status"] == expected, action
    body = response.json()
    assert body["decision"]["decision_number"] == "宜市监处罚〔2026〕88号"
    assert body["available_actions"] == [] and body["next_deadline"] is None
    kinds = list(Case.objects.get(pk=case.pk).timeline.values_list("kind", flat=True))
    assert kinds == ["created", "filed", "investigation_started", "clock_stopped", "clock_restarted",
                     "submitted_for_review", "returned_for_investigation", "submitted_for_review", "decided",
                     "execution_started", "closed"]


def test_illegal_transition_is_409_and_lists_what_is_allowed(api, office):
    case = make_case(office)
    response = act(api, office.head, case, "close", summary="x")
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "lead"
    assert set(body["allowed_actions"]) == {"file", "refuse_filing", "withdraw", "stop_clock", "extend_deadline"}
    assert Case.objects.get(pk=case.pk).status == "lead"


def test_role_without_the_right_is_403(api, office):
    case = make_case(office)
    response = act(api, office.officer, case, "file")
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).status == "lead"


def test_fields_that_do_not_belong_to_the_action_are_400(api, office):
    case = make_case(office)
    response = act(api, office.head, case, "file", fine_amount="100")
    assert response.status_code == 400 and "fine_amount" in response.json()
    response = act(api, office.head, case, "file", teleport="now")
    assert response.status_code == 400 and "teleport" in response.json()
    case.refresh_from_db()
    assert (case.status, case.version) == ("lead", 1)


@pytest.mark.parametrize(
    "fields,field",
    [
        ({}, "reason"),
        ({"reason": ""}, "reason"),
    ],
)
def test_missing_required_field_is_400(api, office, fields, field):
    case = make_case(office)
    response = act(api, office.head, case, "refuse_filing", **fields)
    assert response.status_code == 400 and field in response.json()


def test_unknown_action_is_400(api, office):
    case = make_case(office)
    response = act(api, office.head, case, "teleport")
    assert response.status_code == 400 and "action" in response.json()


def test_filing_with_one_handler_is_409(api, office):
    case = make_case(office, handlers=[])
    response = act(api, office.head, case, "file")
    assert response.status_code == 409
    assert "两名" in response.json()["detail"]


def test_inconsistent_decision_is_400_and_nothing_changes(api, office):
    case = make_case(office)
    for user, action, fields in [(office.head, "file", {}), (office.officer, "start_investigation", {}),
                                 (office.officer, "submit_for_review", {"report": "r"})]:
        assert act(api, user, case, action, **fields).status_code == 200
    response = act(api, office.head, case, "decide", outcome="penalty", decision_date=timezone.localdate().isoformat(),
                   penalties=["fine"], decision_number="x")
    assert response.status_code == 400
    future = act(api, office.head, case, "decide", outcome="no_penalty", reason="情节轻微",
                 decision_date=(timezone.localdate() + timedelta(days=3)).isoformat())
    assert future.status_code == 400 and "decision_date" in future.json()
    case.refresh_from_db()
    assert case.status == "under_review" and case.outcome == ""


def test_penalty_must_be_executed_before_closing(api, office):
    case = make_case(office)
    today = timezone.localdate().isoformat()
    act(api, office.head, case, "file")
    act(api, office.officer, case, "start_investigation")
    act(api, office.officer, case, "submit_for_review", report="r")
    act(api, office.head, case, "decide", outcome="penalty", decision_date=today, penalties=["warning"],
        decision_number="宜市监处罚〔2026〕1号")
    response = act(api, office.head, case, "close", summary="结")
    assert response.status_code == 409


def test_no_penalty_closes_directly(api, office):
    case = make_case(office)
    act(api, office.head, case, "file")
    act(api, office.officer, case, "start_investigation")
    act(api, office.officer, case, "submit_for_review", report="r")
    act(api, office.head, case, "decide", outcome="no_penalty", reason="证据不足以认定违法",
        decision_date=timezone.localdate().isoformat())
    response = act(api, office.head, case, "close", summary="不予处罚，结案")
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_suspend_pauses_the_clock_and_resume_returns(api, office):
    case = make_case(office)
    act(api, office.head, case, "file")
    act(api, office.officer, case, "start_investigation")
    suspended = act(api, office.head, case, "suspend", reason="当事人下落不明")
    assert suspended.json()["status"] == "suspended"
    assert suspended.json()["next_deadline"]["paused"] is True
    resumed = act(api, office.head, case, "resume")
    assert resumed.json()["status"] == "investigating"
    assert resumed.json()["next_deadline"]["paused"] is False
    stop = ClockStop.objects.get(case=case)
    assert stop.reason == "suspension" and stop.restarted_on is not None


def test_stop_clock_needs_a_known_reason(api, office):
    case = make_case(office)
    response = act(api, office.officer, case, "stop_clock", reason="喝茶")
    assert response.status_code == 400 and "reason" in response.json()
    assert not ClockStop.objects.exists()


def test_extension_once_then_collective_decision(api, office):
    case = make_case(office)
    act(api, office.head, case, "file")
    before = Case.objects.get(pk=case.pk).next_deadline_on
    extended = act(api, office.head, case, "extend_deadline", deadline="decision", reason="案情复杂")
    assert extended.status_code == 200
    after = Case.objects.get(pk=case.pk).next_deadline_on
    assert (after - before).days >= 29
    again = act(api, office.head, case, "extend_deadline", deadline="decision", reason="再次延长")
    assert again.status_code == 400
    assert DeadlineExtension.objects.filter(case=case).count() == 1
    due = (timezone.localdate() + timedelta(days=200)).isoformat()
    collective = act(api, office.head, case, "set_deadline_collectively", due_on=due,
                     meeting_date=timezone.localdate().isoformat(), reason="局务会议集体讨论决定")
    assert collective.status_code == 200
    assert collective.json()["next_deadline"]["due_on"] == due


def test_officer_cannot_extend(api, office):
    case = make_case(office)
    assert act(api, office.officer, case, "extend_deadline", deadline="filing", reason="x").status_code == 403


def test_overdue_is_flagged(api, office):
    case = make_case(office, lead_received_on=timezone.localdate() - timedelta(days=60))
    api.force_authenticate(office.officer)
    body = api.get(f"{URL}{case.pk}/").json()
    assert body["next_deadline"]["overdue"] is True
    assert body["next_deadline"]["working_days_left"] < 0
    assert [c["id"] for c in api.get(URL, {"overdue": "true"}).json()["results"]] == [case.pk]


# PostgreSQL serialises audit appends with an advisory lock: one statement more.
CHAIN_LOCK = int(connection.vendor == "postgresql")


def test_a_transition_and_a_refusal_cost_a_fixed_number_of_queries(api, office, django_assert_num_queries):
    case = make_case(office)
    api.force_authenticate(office.head)
    api.get(f"{URL}{case.pk}/")  # the head's memberships, the calendar
    # The locked case, its handlers and clock, deadlines (stops, extensions),
    # the save, the timeline and its index version, the event, the audit
    # entry (2), the savepoint (2), then the detail answered (4).
    with django_assert_num_queries(17 + CHAIN_LOCK):
        assert api.post(f"{URL}{case.pk}/transitions/", {"action": "file"}, format="json").status_code == 200
    # Refused: what the state machine read, rolled back, then the denied entry.
    with django_assert_num_queries(8 + CHAIN_LOCK):
        assert api.post(f"{URL}{case.pk}/transitions/", {"action": "file"}, format="json").status_code == 409
