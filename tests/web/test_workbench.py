"""The workbench at /: what waits for each person in the agency they work
as, counted only of what they may see, in a constant number of queries."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.roles import Role
from casehub.calendar import working_calendar
from casehub.demo_workbench import start_day_with_days_left
from casehub.services import assistance, transfers
from casehub.services.cases import add_note, apply_action
from tests.factories import Office, RegionFactory, make_case, member, jingzhou_office
from tests.web.helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db

URL = "/"


def _received(days_left: int):
    """A lead-received day whose filing deadline is `days_left` working days away."""
    return start_day_with_days_left("filing", days_left, timezone.localdate(), working_calendar())


def _board(client):
    response = client.get(reverse("web:workbench"))
    assert response.status_code == 200
    return response, response.context["board"]


def _desk(board, key):
    return next((s for s in board.desks if s.desk.key == key), None)


@pytest.fixture
def other(db):
    """Another city's market regulator, with its own cast."""
    return jingzhou_office()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_a_user_of_no_agency_gets_an_explanation(stranger):
    response = signed_in(stranger).get(URL)
    assert response.status_code == 200
    assert response.context["board"] is None
    assert "您尚未加入任何单位" in response.content.decode()


def test_my_cases_due_soon_and_overdue_with_days_left(office, other):
    due = make_case(office, title="即将届满的线索", lead_received_on=_received(2))
    late = make_case(office, title="已逾期的线索", lead_received_on=_received(-3))
    make_case(office, title="期限尚早的线索")  # received today: 15 working days to go
    # Another officer's case and another agency's case are not mine.
    make_case(office, title="他人承办的线索", lead_officer=office.officer2, handlers=[office.reviewer],
              lead_received_on=_received(1))
    make_case(other, title="外单位的线索", lead_received_on=_received(1))

    response, board = _board(signed_in(office.officer))
    assert [r["id"] for r in board.due_soon.rows] == [due.pk]
    assert [r["id"] for r in board.overdue.rows] == [late.pk]
    assert board.due_soon.rows[0]["deadline"]["working_days_left"] == 2
    page = response.content.decode()
    assert due.number in page and late.number in page
    assert "剩余 2 个工作日" in page and "已逾期" in page
    assert "外单位的线索" not in page and "他人承办的线索" not in page
    # officer2 handles `due` (make_case's default handler) and the other officer's case.
    _, board2 = _board(signed_in(office.officer2))
    assert {r["id"] for r in board2.due_soon.rows + board2.overdue.rows} >= {due.pk, late.pk}
    assert board2.due_soon.count == 2


def _card(response, label):
    return next(c for c in response.context["cards"] if str(c["label"]) == label)


def _query(url):
    parts = urlsplit(url)
    assert parts.path == reverse("web:case-list")
    return parse_qs(parts.query)


def test_each_count_links_to_the_filtered_case_list(office):
    make_case(office, lead_officer=office.head, handlers=[office.officer], lead_received_on=_received(-2))
    make_case(office, lead_officer=office.head, handlers=[office.officer], lead_received_on=_received(1))
    client = signed_in(office.head)
    response, board = _board(client)
    agency = [str(office.agency.pk)]
    overdue = _card(response, "我的逾期案件")
    assert overdue["count"] == 1 and overdue["alert"]
    assert _query(overdue["url"]) == {"agency": agency, "mine": ["true"], "overdue": ["true"]}
    soon = _card(response, "我的 3 个工作日内到期案件")
    assert soon["count"] == 1
    assert _query(soon["url"]) == {"agency": agency, "mine": ["true"], "overdue": ["false"],
                                   "due_before": [board.soon.isoformat()]}
    to_file = _card(response, "待立案的线索")
    assert to_file["count"] == 2
    assert _query(to_file["url"]) == {"agency": agency, "status": ["lead"]}
    extend = _card(response, "临近期限可延长的案件")
    assert _query(extend["url"]) == {"agency": agency, "status": ["filed", "investigating", "lead", "under_review"],
                                     "due_before": [board.soon.isoformat()]}
    page = response.content.decode()
    assert f'href="{overdue["url"].replace("&", "&amp;")}"' in page
    assert client.get(to_file["url"]).status_code == 200
    assert _card(response, "未读通知")["url"] == reverse("notifications-inbox")
    assert _card(response, "收到的移送")["url"] == "#incoming-transfers"


def test_my_cases_cards_followed_list_exactly_the_cases_they_count(office, other):
    late = make_case(office, lead_officer=office.officer, lead_received_on=_received(-2))
    handled_late = make_case(office, lead_officer=office.head, handlers=[office.officer],
                             lead_received_on=_received(-1))
    soon = make_case(office, lead_officer=office.reviewer, handlers=[office.officer], lead_received_on=_received(2))
    # A colleague's cases, near or past due, are counted on no card of mine; nor is a case due later.
    make_case(office, lead_officer=office.officer2, handlers=[office.reviewer], lead_received_on=_received(-2))
    make_case(office, lead_officer=office.officer2, handlers=[office.head], lead_received_on=_received(1))
    make_case(office, lead_officer=office.officer)
    make_case(other, lead_received_on=_received(-2))
    client = signed_in(office.officer)
    response, board = _board(client)
    for label, expected in (("我的逾期案件", {late.pk, handled_late.pk}),
                            ("我的 3 个工作日内到期案件", {soon.pk})):
        card = _card(response, label)
        listed = client.get(card["url"])
        assert listed.status_code == 200 and not listed.context["form"].errors
        assert {row["id"] for row in listed.context["rows"]} == expected
        assert card["count"] == len(listed.context["rows"])


def test_what_waits_follows_the_workflow_per_role(office, other):
    lead = make_case(office, title="待立案线索", lead_received_on=_received(2))
    # An administrative lead with its lead officer alone cannot be filed yet
    # (two handlers, Order 730): it waits for handlers, not for the head.
    alone = make_case(office, title="仅一名办案人员的线索", handlers=[])
    investigating = make_case(office, title="调查中的案件")
    apply_action(actor=office.head, case_id=investigating.pk, name="file", data={})
    apply_action(actor=office.officer, case_id=investigating.pk, name="start_investigation", data={})
    reviewed = make_case(office, title="审核中的案件")
    apply_action(actor=office.head, case_id=reviewed.pk, name="file", data={})
    apply_action(actor=office.officer, case_id=reviewed.pk, name="start_investigation", data={})
    apply_action(actor=office.officer, case_id=reviewed.pk, name="submit_for_review", data={"report": "调查终结报告"})
    outsiders = make_case(other, title="外单位待立案线索", lead_received_on=_received(1))

    _, head = _board(signed_in(office.head))
    assert [r["id"] for r in _desk(head, "to_file").rows] == [lead.pk]
    assert alone.pk not in [r["id"] for r in _desk(head, "to_file").rows]
    assert [r["id"] for r in _desk(head, "to_decide").rows] == [reviewed.pk]
    assert [r["id"] for r in _desk(head, "to_extend").rows] == [lead.pk]
    assert _desk(head, "to_file").rows[0]["actions"][0]["name"] == "file"

    _, reviewer = _board(signed_in(office.reviewer))
    assert {s.desk.key for s in reviewer.desks} == {"to_decide", "to_submit"}  # no filing, no extending
    assert [r["id"] for r in _desk(reviewer, "to_decide").rows] == [reviewed.pk]

    _, officer = _board(signed_in(office.officer))
    assert {s.desk.key for s in officer.desks} == {"to_submit"}
    assert [r["id"] for r in _desk(officer, "to_submit").rows] == [investigating.pk]
    # Its link lists the cases it counts: the investigations I handle, no colleague's.
    theirs = make_case(office, title="同事调查中的案件", lead_officer=office.officer2, handlers=[office.head])
    apply_action(actor=office.head, case_id=theirs.pk, name="file", data={})
    apply_action(actor=office.officer2, case_id=theirs.pk, name="start_investigation", data={})
    listed = signed_in(office.officer).get(reverse("web:case-list"), _desk(officer, "to_submit").filters)
    assert [row["id"] for row in listed.context["rows"]] == [investigating.pk]
    _, reviewer_officer = _board(signed_in(office.reviewer))
    assert _desk(reviewer_officer, "to_submit").count == 0  # handles none of them

    _, other_head = _board(signed_in(other.head))
    assert [r["id"] for r in _desk(other_head, "to_file").rows] == [outsiders.pk]
    assert _desk(other_head, "to_decide").count == 0

    # Once extended, a deadline leaves the extension desk.
    apply_action(actor=office.head, case_id=lead.pk, name="extend_deadline",
                 data={"deadline": "filing", "reason": "需权利人鉴定"})
    _, head = _board(signed_in(office.head))
    assert _desk(head, "to_extend").count == 0


def test_an_auditor_has_no_case_desks(office):
    auditor = member(office.agency, Role.AUDITOR, username="auditor")
    make_case(office, lead_received_on=_received(1))
    response, board = _board(signed_in(auditor))
    assert board.desks == [] and not board.handles_cases
    page = response.content.decode()
    assert 'id="waiting"' not in page and 'id="my-deadlines"' not in page


def _sent_transfer(office, to_agency, title="移送的案件"):
    case = make_case(office, title=title)
    apply_action(actor=office.head, case_id=case.pk, name="file", data={})
    transfer = transfers.propose(actor=office.officer, case=case, kind="jurisdiction", to_agency=to_agency,
                                 reason="依法移送有管辖权的机关",
                                 materials=[{"kind": "transfer_letter", "title": "移送函"},
                                            {"kind": "case_file", "title": "案卷"}])
    transfers.take_step(actor=office.head, transfer_id=transfer.pk, name="approve", data={})
    transfers.take_step(actor=office.officer, transfer_id=transfer.pk, name="send", data={})
    return case, transfer


def test_incoming_transfers_and_assistance_of_my_agency(office, other):
    third = Office(code="420800-SCJG", short_name="荆门市监", region=RegionFactory(code="420800", name="荆门市"))
    case, transfer = _sent_transfer(office, other.agency)
    proposed = make_case(office, title="待审批移送")
    transfers.propose(actor=office.officer, case=proposed, kind="jurisdiction", to_agency=third.agency,
                      reason="依法移送", materials=[])
    asked = assistance.ask(actor=office.officer, case=case, to_agency=other.agency, subject="核查供货商",
                           details="请核查供货商的营业执照", due_on=working_calendar().add_working_days(
                               timezone.localdate(), 2))

    response, head = _board(signed_in(other.head))
    assert [r["id"] for r in head.incoming_transfers.rows] == [transfer.pk]
    assert {s["name"] for s in head.incoming_transfers.rows[0]["steps"]} == {"accept", "return", "refuse"}
    assert head.incoming_transfers.rows[0]["deadline"]["due_on"] is not None
    assert [r["id"] for r in head.incoming_assistance.rows] == [asked.pk]
    page = response.content.decode()
    assert case.number in page and "核查供货商" in page and "受理" in page
    # The receiving agency sees the case page; the asked-only agency would not: no case link for assistance.
    assert reverse("web:case", args=[case.pk]) in page

    _, officer = _board(signed_in(other.officer))
    assert officer.incoming_transfers.count == 1 and officer.incoming_transfers.rows[0]["steps"] == []

    # The sender's head approves the proposed one; the sender receives nothing.
    _, sender_head = _board(signed_in(office.head))
    assert sender_head.incoming_transfers.count == 0 and sender_head.incoming_assistance.count == 0
    assert [r["case_id"] for r in sender_head.outgoing_transfers.rows] == [proposed.pk]
    assert sender_head.outgoing_transfers.rows[0]["steps"][0]["name"] == "approve"

    # A third agency counts none of it (the proposal is not sent yet).
    _, outsider = _board(signed_in(third.head))
    assert outsider.incoming_transfers.count == 0 and outsider.incoming_assistance.count == 0

    # Answered, the request leaves the desk; accepted, the transfer too.
    assistance.answer(actor=other.officer, item_id=asked.pk, text="已核查，营业执照真实有效")
    transfers.take_step(actor=other.head, transfer_id=transfer.pk, name="accept", data={})
    _, head = _board(signed_in(other.head))
    assert head.incoming_transfers.count == 0 and head.incoming_assistance.count == 0


def test_unread_notifications_link_to_their_case(office, other):
    case = make_case(office)
    add_note(actor=office.officer2, case=case, text=f"@{office.officer.username} 请补充进货凭证")
    make_case(other)  # tells other's people, not ours
    response, board = _board(signed_in(office.officer))
    unread = response.context["unread"]
    mentions = [n for n in unread["rows"] if n["kind"] == "mentioned"]
    assert len(mentions) == 1
    assert unread["count"] >= 1
    assert f'href="{reverse("web:case", args=[case.pk])}"' in response.content.decode()
    assert all(n["case"] == case.pk for n in unread["rows"])


def test_the_workbench_costs_the_same_at_1_and_50_rows(office, other):
    cal = working_calendar()
    received, late = _received(2), _received(-2)
    asking = make_case(other, title="请求协查的案件")
    made = []

    def grow(n):
        while len(made) < n:
            i = len(made)
            case = make_case(office, title=f"线索{i}", lead_received_on=received if i % 2 else late)
            if i % 3 == 0:
                apply_action(actor=office.head, case_id=case.pk, name="file", data={})
                apply_action(actor=office.officer, case_id=case.pk, name="start_investigation", data={})
            assistance.ask(actor=other.officer, case=asking, to_agency=office.agency, subject=f"协查{i}",
                           details="请核查", due_on=cal.add_working_days(timezone.localdate(), 3))
            add_note(actor=office.officer2, case=case, text=f"@{office.head.username} 请审批")
            made.append(case)

    client = signed_in(office.head)
    assert_constant_queries(client, URL, grow)
    _, board = _board(client)
    assert _desk(board, "to_file").count > 5 and board.incoming_assistance.count == 50
    officer = signed_in(office.officer)
    assert_constant_queries(officer, URL, grow)


def test_the_demo_gives_every_demo_login_a_living_workbench(settings, media):
    from io import StringIO

    from django.core.management import call_command

    from agencies.models import User
    from agencies.seed.demo_users import DEMO_USERS
    from casehub.models import Case
    from notifications.models import Notification

    settings.DEBUG = True
    call_command("seed_agencies", verbosity=0, stdout=StringIO())
    call_command("seed_demo", cases=20, verbosity=0, stdout=StringIO())
    boards = {}
    for username, _name, _roles in DEMO_USERS:
        response, board = _board(signed_in(User.objects.get(username=username)))
        work = (board.overdue.count + board.due_soon.count + sum(s.count for s in board.desks)
                + board.incoming_transfers.count + board.supervised_transfers.count + board.incoming_assistance.count
                + (board.outgoing_transfers.count if board.outgoing_transfers else 0))
        assert work > 0 and response.context["unread"]["count"] > 0, username
        boards[username] = board
    assert boards["wangfang"].overdue.count and boards["wangfang"].due_soon.count
    assert _desk(boards["chenjun"], "to_file").count and _desk(boards["chenjun"], "to_extend").count
    assert boards["chenjun"].outgoing_transfers.count  # a transfer to approve
    assert _desk(boards["zhaomin"], "to_decide").count
    assert boards["liuyang"].incoming_transfers.count and boards["gaofeng"].incoming_transfers.count
    assert boards["wuting"].incoming_transfers.count and boards["wuting"].incoming_assistance.count
    assert boards["sunhao"].supervised_transfers.count
    assert Notification.objects.filter(kind="mentioned", recipient__username="wangfang").exists()
    # Told once: a second run adds nothing.
    counts = Case.objects.count(), Notification.objects.count()
    call_command("seed_demo", cases=20, verbosity=0, stdout=StringIO())
    assert (Case.objects.count(), Notification.objects.count()) == counts


def test_the_workbench_is_of_the_agency_i_work_as(office, other):
    from agencies.models import Membership

    Membership.objects.create(user=office.officer, agency=other.agency, role=Role.OFFICER)
    here = make_case(office, title="本单位临期线索", lead_received_on=_received(1))
    there = make_case(other, title="兼职单位临期线索", lead_officer=office.officer, handlers=[other.officer2],
                      lead_received_on=_received(1))
    client = signed_in(office.officer)
    first = min(office.agency.pk, other.agency.pk)
    _, board = _board(client)
    assert board.agency_id == first
    mine = {office.agency.pk: here.pk, other.agency.pk: there.pk}
    assert [r["id"] for r in board.due_soon.rows] == [mine[first]]
    second = max(office.agency.pk, other.agency.pk)
    client.post(reverse("web:switch-agency"), {"agency": second, "next": "/"})
    _, board = _board(client)
    assert board.agency_id == second and [r["id"] for r in board.due_soon.rows] == [mine[second]]
