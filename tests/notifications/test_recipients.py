"""Who is told what, through the real services and API."""

import pytest
from django.core.management import call_command

from agencies.roles import Role
from notifications.models import Notification, Preference
from notifications.recipients import mentioned_users
from tests.factories import member
from tests.transfers.helpers import CASES, as_, step

from .helpers import send_transfer_to_police

pytestmark = pytest.mark.django_db


def kinds_of(user):
    return list(Notification.objects.filter(recipient=user).order_by("seq").values_list("kind", flat=True))


def test_a_sent_transfer_reaches_the_receiving_liaison_and_nobody_unrelated(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    # The head was asked to approve; the police liaison is told it arrived.
    assert "transfer_proposed" in kinds_of(cast.head)
    assert kinds_of(cast.police_liaison) == ["transfer_sent"]
    notice = Notification.objects.get(recipient=cast.police_liaison)
    assert notice.case_id == case_id and notice.payload["transfer_id"] == tid
    assert "宜昌市市场监督管理局" in notice.text or "市场监督" in notice.text
    # An officer of an unrelated agency, and the police officer who does not
    # route transfers, hear nothing.
    assert kinds_of(cast.outsider) == [] and kinds_of(cast.police_officer) == []
    # The actor is never told of their own act.
    assert "transfer_sent" not in kinds_of(cast.liaison)


def test_decisions_on_a_transfer_go_back_to_the_sender(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    assert step(api, cast.police_liaison, tid, "refuse", reason="不符合立案追诉标准").status_code == 200
    assert "transfer_refused" in kinds_of(cast.officer)  # who proposed it
    assert "transfer_refused" in kinds_of(cast.liaison)
    assert step(api, cast.head, tid, "request_reconsideration", reason="货值已达标准").status_code == 200
    assert kinds_of(cast.police_liaison)[-1] == "transfer_reconsideration"


def test_nobody_is_told_of_a_case_they_may_not_see(api, cast):
    """A liaison of the receiving agency who opted in to every transfer of
    their agency still hears nothing before the transfer is sent to them."""
    Preference.objects.create(user=cast.police_liaison, kind="transfer_proposed", scope="agency")
    Preference.objects.create(user=cast.outsider, kind="transfer_proposed", scope="agency")
    send_transfer_to_police(api, cast)
    assert "transfer_proposed" not in kinds_of(cast.police_liaison)
    assert "transfer_proposed" not in kinds_of(cast.outsider)


def test_preferences_mute_a_kind_or_widen_it_to_the_agency(api, cast):
    Preference.objects.create(user=cast.head, kind="transfer_proposed", enabled=False)
    Preference.objects.create(user=cast.officer2, kind="transfer_refused", scope="agency")
    case_id, tid = send_transfer_to_police(api, cast)
    assert "transfer_proposed" not in kinds_of(cast.head)
    step(api, cast.police_liaison, tid, "refuse", reason="不符合立案追诉标准")
    # officer2 did not propose it, but asked to hear of every refusal.
    assert "transfer_refused" in kinds_of(cast.officer2)


def test_assignment_decision_and_closing(api, cast):
    created = as_(api, cast.officer).post(CASES, {
        "title": "某公司侵犯外观设计专利案", "ip_type": "design_patent", "kind": "administrative_penalty",
        "source": "complaint", "region": "420500", "handlers": ["liqiang"], "facts": "……",
    }, format="json")
    assert created.status_code == 201
    # liqiang was put on the case by wangfang: told; wangfang (the actor): not.
    assert kinds_of(cast.officer2) == ["case_assigned"] and kinds_of(cast.officer) == []


def test_a_mention_in_a_note_tells_the_named_colleague(api, cast):
    from tests.transfers.helpers import open_filed_case

    case_id = open_filed_case(api, cast)
    cast.head.full_name = "陈军"
    cast.head.save()
    response = as_(api, cast.officer).post(f"{CASES}{case_id}/notes/", {"text": "@陈军请审阅，另@outsider 知悉"},
                                           format="json")
    assert response.status_code == 201
    assert kinds_of(cast.head)[-1] == "mentioned"
    assert "mentioned" not in kinds_of(cast.outsider)  # cannot see the case: not told


def test_mentions_are_matched_by_username_or_a_name_running_on():
    people = {1: ("wangfang", "王芳"), 2: ("liqiang", "李强"), 3: ("chen", "")}
    assert mentioned_users("@王芳请核实", people) == {1}
    assert mentioned_users("请 @liqiang 和 @chen 看看", people) == {2, 3}
    assert mentioned_users("邮件 a@b.com 无人", people) == set()


def test_an_assistance_request_tells_the_asked_agency_without_the_case(api, cast):
    from tests.transfers.helpers import open_filed_case

    case_id = open_filed_case(api, cast)
    response = as_(api, cast.officer).post(f"{CASES}{case_id}/assistance/", {
        "to_agency": cast.jingzhou.pk, "subject": "协查涉案公司注册信息", "details": "请核实……",
        "due_on": "2030-01-10",
    }, format="json")
    assert response.status_code == 201, response.content
    notice = Notification.objects.get(recipient=cast.jingzhou_liaison)
    assert notice.kind == "assistance_requested" and notice.case_id is None
    assert "协查涉案公司注册信息" in notice.text and "case_id" not in notice.payload


def test_deadline_reminders_are_not_repeated(cast):
    from datetime import timedelta

    from django.utils import timezone

    from casehub.models import Case
    from tests.factories import Office, make_case  # noqa: F401

    office_officer = member(cast.market, Role.OFFICER, username="deadline-officer")
    from casehub.services.cases import create_case

    case = create_case(actor=cast.head, agency=cast.market, data={
        "title": "期限提醒测试案", "ip_type": "trademark", "kind": "administrative_penalty", "source": "complaint",
        "region": cast.market.region, "lead_officer": office_officer, "facts": "……",
    })
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(next_deadline="filing", next_deadline_on=today - timedelta(days=1))
    call_command("check_deadlines", stdout=open("/dev/null", "w"))
    call_command("check_deadlines", stdout=open("/dev/null", "w"))
    assert kinds_of(office_officer).count("deadline_overdue") == 1
    assert kinds_of(cast.head).count("deadline_overdue") == 1  # the head answers for a late case
    # Extended: a new due date is a new deadline, reminded once in its turn.
    Case.objects.filter(pk=case.pk).update(next_deadline_on=today)
    call_command("check_deadlines", stdout=open("/dev/null", "w"))
    call_command("check_deadlines", stdout=open("/dev/null", "w"))
    assert kinds_of(office_officer).count("deadline_due") == 1


def test_a_supervision_opinion_tells_both_sides(api, cast):
    from tests.transfers.helpers import TRANSFERS

    case_id, tid = send_transfer_to_police(api, cast)
    step(api, cast.police_liaison, tid, "refuse", reason="不构成犯罪")
    assert as_(api, cast.head).post(f"{TRANSFERS}{tid}/request-supervision/", {"reason": "请检察院监督"},
                                    format="json").status_code == 200
    opinion = as_(api, cast.procurator).post(f"{TRANSFERS}{tid}/opinions/", {
        "kind": "explain_refusal", "opinion": "请公安机关说明不立案理由。"}, format="json")
    assert opinion.status_code == 201
    assert kinds_of(cast.police_liaison)[-1] == "supervision_opinion"  # who must answer
    assert kinds_of(cast.liaison)[-1] == "supervision_opinion"  # who asked
    assert "supervision_opinion" not in kinds_of(cast.outsider)
    notice = Notification.objects.filter(recipient=cast.police_liaison).latest("seq")
    assert "检察院" in notice.text and notice.payload["opinion_id"] == opinion.json()["id"]


def test_a_publication_due_then_late_tells_the_deciding_agencys_reviewers_and_head_once():
    from datetime import timedelta

    from casehub.calendar import working_calendar
    from disclosure import services as disclosure
    from disclosure.models import DisclosureRecord
    from tests.disclosure.helpers import decided_case
    from tests.factories import Office

    office = Office()
    stranger = Office(code="421000-SCJG", short_name="荆市监")
    case = decided_case(office, person=False)
    record = DisclosureRecord.objects.get(case=case)
    Notification.objects.all().delete()
    near = working_calendar().add_working_days(case.decision_date, 18)
    disclosure.remind(near)
    disclosure.remind(near)
    due = Notification.objects.filter(kind="disclosure_due")
    assert set(due.values_list("recipient_id", flat=True)) == {office.reviewer.pk, office.head.pk}
    assert due.count() == 2  # once each, though reminded twice
    assert record.decision_number in due.first().text and due.first().payload["disclosure_id"] == record.pk
    disclosure.remind(record.due_on + timedelta(days=1))
    late = Notification.objects.filter(kind="disclosure_overdue")
    assert set(late.values_list("recipient_id", flat=True)) == {office.reviewer.pk, office.head.pk}
    strangers = {stranger.officer.pk, stranger.reviewer.pk, stranger.head.pk, office.officer.pk}
    assert not Notification.objects.filter(recipient_id__in=strangers).filter(kind__startswith="disclosure").exists()
