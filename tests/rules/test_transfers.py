from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from agencies.roles import Role
from casehub.rules.transfers import (
    STEPS,
    IllegalStep,
    MaterialKind,
    SideRefused,
    StepFieldProblems,
    TransferKind,
    TransferStatus,
    available_steps,
    deadline_step,
    due,
    missing_materials,
    plan_step,
    required_materials,
    routing_problem,
)
from casehub.rules.working_days import WorkingCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def agency(pk, kind, active=True):
    return SimpleNamespace(pk=pk, kind=kind, active=active)


MARKET, POLICE, PROCURATORATE, COURT = (agency(1, "market_supervision"), agency(2, "police"),
                                         agency(3, "procuratorate"), agency(4, "court"))


class TestRouting:
    def test_suspected_crime_goes_from_administrative_agency_to_police(self):
        assert routing_problem(TransferKind.SUSPECTED_CRIME, MARKET, POLICE, "420500", "420500") is None
        assert routing_problem(TransferKind.SUSPECTED_CRIME, MARKET, COURT, "420500", "420500")
        assert routing_problem(TransferKind.SUSPECTED_CRIME, COURT, POLICE, "420500", "420500")

    def test_never_to_ones_own_agency_or_an_inactive_one(self):
        assert routing_problem(TransferKind.JURISDICTION, MARKET, MARKET, "420500", "420500")
        assert routing_problem(TransferKind.JURISDICTION, MARKET, agency(9, "copyright", active=False), "420500", "420500")

    def test_reverse_goes_from_procuratorate_to_administrative_agency(self):
        assert routing_problem(TransferKind.REVERSE, PROCURATORATE, MARKET, "420500", "420500") is None
        assert routing_problem(TransferKind.REVERSE, MARKET, PROCURATORATE, "420500", "420500")
        assert routing_problem(TransferKind.REVERSE, PROCURATORATE, POLICE, "420500", "420500")

    def test_cross_region_goes_to_another_city(self):
        jingzhou = agency(5, "market_supervision")
        assert routing_problem(TransferKind.CROSS_REGION, MARKET, jingzhou, "420500", "421000") is None
        assert routing_problem(TransferKind.CROSS_REGION, MARKET, jingzhou, "420500", "420500")


def test_suspected_crime_needs_the_four_materials_of_order_310():
    assert set(required_materials(TransferKind.SUSPECTED_CRIME)) == {
        MaterialKind.TRANSFER_LETTER, MaterialKind.INVESTIGATION_REPORT, MaterialKind.SEIZED_ITEMS_LIST,
        MaterialKind.APPRAISAL_REPORT}
    assert missing_materials(TransferKind.SUSPECTED_CRIME, {MaterialKind.TRANSFER_LETTER}) == [
        MaterialKind.INVESTIGATION_REPORT, MaterialKind.SEIZED_ITEMS_LIST, MaterialKind.APPRAISAL_REPORT]


def test_materials_are_a_setting(settings):
    settings.CASEHUB_TRANSFER_MATERIALS = {TransferKind.CLUE_HANDOVER: [MaterialKind.CLUE, MaterialKind.OTHER]}
    assert required_materials(TransferKind.CLUE_HANDOVER) == (MaterialKind.CLUE, MaterialKind.OTHER)


class TestSteps:
    sender_head = {"sender": frozenset({Role.HEAD})}
    police_liaison = {"receiver": frozenset({Role.LIAISON})}

    def test_the_main_path(self):
        status = TransferStatus.PROPOSED
        for name, sides, data in [
            ("approve", self.sender_head, {}),
            ("send", {"sender": frozenset({Role.LIAISON})}, {}),
            ("accept", self.police_liaison, {"receiver_case_number": "宜公经立字〔2026〕31号"}),
        ]:
            status = plan_step(name, status, sides, data, kind=TransferKind.SUSPECTED_CRIME).target
        assert status == TransferStatus.ACCEPTED

    def test_every_step_refused_from_other_statuses(self):
        everyone = {"sender": frozenset(Role.values), "receiver": frozenset(Role.values)}
        for name, step in STEPS.items():
            for status in set(TransferStatus.values) - step.sources:
                with pytest.raises(IllegalStep):
                    plan_step(name, status, everyone, {"reason": "r", "receiver_case_number": "n"})

    def test_every_step_refused_to_the_other_side(self):
        for name, step in STEPS.items():
            other = "receiver" if step.side == "sender" else "sender"
            with pytest.raises(SideRefused):
                plan_step(name, next(iter(step.sources)), {other: frozenset(Role.values)},
                          {"reason": "r", "receiver_case_number": "n"})

    def test_officer_cannot_approve_and_refusal_needs_a_reason(self):
        with pytest.raises(SideRefused):
            plan_step("approve", TransferStatus.PROPOSED, {"sender": frozenset({Role.OFFICER})}, {})
        with pytest.raises(StepFieldProblems) as problems:
            plan_step("refuse", TransferStatus.SENT, self.police_liaison, {})
        assert "reason" in problems.value.errors

    def test_police_accept_with_their_case_number(self):
        with pytest.raises(StepFieldProblems) as problems:
            plan_step("accept", TransferStatus.SENT, self.police_liaison, {}, kind=TransferKind.SUSPECTED_CRIME)
        assert "receiver_case_number" in problems.value.errors
        # Other kinds need no criminal case number.
        plan_step("accept", TransferStatus.SENT, self.police_liaison, {}, kind=TransferKind.JURISDICTION)

    def test_refusal_then_reconsideration_then_acceptance(self):
        status = plan_step("refuse", TransferStatus.SENT, self.police_liaison, {"reason": "不构成犯罪"}).target
        status = plan_step("request_reconsideration", status, self.sender_head, {"reason": "数额已达标准"}).target
        assert available_steps(status, self.police_liaison) == ["accept", "uphold_refusal"]

    def test_foreign_fields_are_refused(self):
        with pytest.raises(StepFieldProblems) as problems:
            plan_step("approve", TransferStatus.PROPOSED, self.sender_head, {"receiver_case_number": "x"})
        assert "receiver_case_number" in problems.value.errors


class TestDeadlines:
    cal = WorkingCalendar()

    def test_send_within_24_hours_of_approval(self):
        approved = datetime(2026, 9, 30, 16, 0, tzinfo=SHANGHAI)
        assert deadline_step(TransferStatus.APPROVED, TransferKind.SUSPECTED_CRIME) == "send"
        assert due("send", approved, self.cal) == approved + timedelta(hours=24)

    def test_police_decision_in_3_days_moves_past_national_day(self):
        received = datetime(2026, 9, 29, 10, 0, tzinfo=SHANGHAI)
        assert deadline_step(TransferStatus.SENT, TransferKind.SUSPECTED_CRIME) == "decide"
        # 29 Sep + 3 days is 2 Oct, a holiday: the period ends on 8 Oct.
        assert due("decide", received, self.cal) == date(2026, 10, 8)

    def test_days_count_from_the_local_day(self):
        # 23:30 UTC on 1 Mar is already 2 Mar in Shanghai.
        late = datetime(2026, 3, 1, 23, 30, tzinfo=ZoneInfo("UTC"))
        assert due("approve", late, self.cal) == date(2026, 3, 5)

    def test_reverse_transfer_reply_in_two_months_and_others_in_working_days(self):
        assert deadline_step(TransferStatus.SENT, TransferKind.REVERSE) == "decide_reverse"
        assert due("decide_reverse", date(2026, 3, 16), self.cal) == date(2026, 5, 18)  # 16 May is a Saturday
        assert deadline_step(TransferStatus.SENT, TransferKind.JURISDICTION) == "decide_other"

    def test_no_deadline_once_final(self):
        for status in (TransferStatus.REJECTED, TransferStatus.WITHDRAWN, TransferStatus.REFUSAL_UPHELD):
            assert deadline_step(status, TransferKind.SUSPECTED_CRIME) is None
        assert deadline_step(TransferStatus.ACCEPTED, TransferKind.JURISDICTION) is None

    def test_after_acceptance_the_hand_over_runs_until_recorded(self):
        assert deadline_step(TransferStatus.ACCEPTED, TransferKind.SUSPECTED_CRIME) == "hand_over"
        assert deadline_step(TransferStatus.ACCEPTED, TransferKind.SUSPECTED_CRIME, handed_over=True) is None
