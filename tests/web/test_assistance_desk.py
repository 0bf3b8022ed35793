"""/assistance/ — the assistance desk: the requests my agencies sent and
were asked to answer, with their due dates and overdue flags; filters swap
the rows by HTMX and stay in the URL; pages by key; nothing of other
agencies' requests is listed or counted; the workbench and notifications
link each request to its page."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casehub.models import AssistanceRequest
from casehub.services import assistance
from notifications.links import url_for

from .assistance_cast import Cast
from .case_tabs import assert_sign_in_redirect
from .helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db
DESK = reverse("web:assistance")


@pytest.fixture
def cast():
    return Cast()


def row_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="assistance-(\d+)"', html)]


def get(user, url=DESK, **params):
    response = signed_in(user).get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_is_sent_to_sign_in():
    assert_sign_in_redirect(DESK)


def test_the_navigation_offers_the_desk(cast):
    html = get(cast.yichang.officer, reverse("web:workbench"))
    assert f'href="{DESK}"' in html and "协查请求" in html


def test_the_asker_sees_it_sent_and_the_asked_sees_it_received(cast):
    item = cast.ask()
    sent = get(cast.yichang.officer)
    assert row_ids(sent) == [item.pk] and "核查供货商营业执照及出货记录" in sent
    assert 'data-box="outgoing"' in sent and 'data-box="incoming"' not in sent  # only the boxes the user has
    # The asker's own case links to its page; the asked agency sees the number only.
    case_url = reverse("web:case", args=[cast.case.pk])
    assert f'href="{case_url}"' in sent and cast.case.number in sent
    received = get(cast.jingzhou.officer)
    assert row_ids(received) == [item.pk] and 'data-box="incoming"' in received and 'data-box="outgoing"' not in received
    assert cast.case.number in received and f'href="{case_url}"' not in received and cast.case.title not in received
    assert reverse("web:assistance-request", args=[item.pk]) in received and "办理" in received
    assert "待答复" in received and "个工作日" in received  # the status and the deadline chip


def test_an_uninvolved_agency_sees_nothing_and_counts_nothing(cast, stranger):
    cast.ask()
    for user in (cast.jingmen.officer, stranger):
        html = get(user)
        assert row_ids(html) == [] and "核查供货商" not in html and cast.case.number not in html
        assert 'data-box=' not in html  # no box, no count
        assert "暂无数据" in html


def test_the_boxes_filter_incoming_and_outgoing(cast):
    sent = cast.ask()
    asked_of_us = cast.ask(case=make_jingzhou_case(cast), actor=cast.jingzhou.officer, to=cast.yichang,
                           subject="核查宜昌供货情况")
    officer = cast.yichang.officer
    assert row_ids(get(officer)) == [asked_of_us.pk, sent.pk]
    assert row_ids(get(officer, box="incoming")) == [asked_of_us.pk]
    assert row_ids(get(officer, box="outgoing")) == [sent.pk]
    html = get(officer)
    assert html.count('class="count"') == 2  # each box's open requests


def make_jingzhou_case(cast):
    from tests.factories import make_case

    return make_case(cast.jingzhou)


def test_status_open_and_overdue_filters(cast):
    answered, declined, late, running = (cast.ask(subject=s) for s in ("已答复", "已拒绝", "已逾期", "办理中"))
    assistance.answer(actor=cast.jingzhou.officer, item_id=answered.pk, text="经核查，营业执照登记属实。")
    assistance.decline(actor=cast.jingzhou.head, item_id=declined.pk, reason="不属本局管辖")
    AssistanceRequest.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    officer = cast.yichang.officer
    assert row_ids(get(officer, status="answered")) == [answered.pk]
    assert row_ids(get(officer, status="declined")) == [declined.pk]
    assert row_ids(get(officer, open="on")) == [running.pk, late.pk]
    overdue = get(officer, overdue="on")
    assert row_ids(overdue) == [late.pk]
    assert "已逾期 2 天" in overdue and "答复已逾期" in overdue and 'class="overdue"' in overdue
    everything = get(officer)
    assert "已答复" in everything and "已拒绝" in everything


def test_htmx_gets_the_rows_only_and_the_form_pushes_the_url(cast):
    cast.ask()
    response = signed_in(cast.jingzhou.officer).get(DESK, {"box": "incoming"}, HTTP_HX_REQUEST="true",
                                                    HTTP_HX_TARGET="assistance-rows")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="assistance-filters"' not in html
    assert len(row_ids(html)) == 1
    page = get(cast.jingzhou.officer)
    assert 'hx-push-url="true"' in page and 'hx-target="#assistance-rows"' in page


def test_a_bad_filter_is_said_at_its_field_with_no_rows(cast):
    cast.ask()
    html = get(cast.yichang.officer, status="bogus", box="sideways")
    assert row_ids(html) == [] and html.count('class="errorlist"') == 2 and 'aria-invalid="true"' in html
    assert "请更正标红的筛选条件" in html


def test_pages_by_key_newest_first(cast):
    items = [cast.ask(subject=f"协查事项{n}") for n in range(23)]
    officer = cast.yichang.officer
    first = get(officer, box="outgoing")
    assert row_ids(first) == [i.pk for i in items[::-1][:20]]
    older = re.search(r'href="([^"]*before=\d+[^"]*)" hx-get', first).group(1).replace("&amp;", "&")
    assert "box=outgoing" in older
    second = signed_in(officer).get(older).content.decode()
    assert row_ids(second) == [i.pk for i in items[::-1][20:]]
    newer = re.search(r'href="([^"]*after=\d+[^"]*)" hx-get', second).group(1).replace("&amp;", "&")
    assert row_ids(signed_in(officer).get(newer).content.decode()) == [i.pk for i in items[::-1][:20]]


def test_the_desk_costs_the_same_queries_for_1_and_50_rows(cast):
    def grow(n):
        while AssistanceRequest.objects.count() < n:
            AssistanceRequest.objects.create(case=cast.case, from_agency=cast.yichang.agency,
                                             to_agency=cast.jingzhou.agency, subject="协查", details="…",
                                             due_on=date(2030, 1, 1), requested_by=cast.yichang.officer)

    import casehub.web.assistance_desk as desk
    desk.PAGE_SIZE, size = 50, desk.PAGE_SIZE
    try:
        assert_constant_queries(signed_in(cast.yichang.officer), DESK, grow)
        assert_constant_queries(signed_in(cast.jingzhou.officer), f"{DESK}?box=incoming", grow)
    finally:
        desk.PAGE_SIZE = size


def test_the_workbench_links_incoming_requests_to_their_page(cast):
    item = cast.ask()
    html = get(cast.jingzhou.officer, reverse("web:workbench"))
    page = reverse("web:assistance-request", args=[item.pk])
    assert f'<tr id="incoming-assistance-{item.pk}"><td><a href="{page}">' in html
    assert f'{DESK}?box=incoming&amp;open=on' in html


def test_an_assistance_notification_links_the_request_page(cast):
    item = cast.ask()
    assert url_for({"assistance_id": item.pk}) == reverse("web:assistance-request", args=[item.pk])
    # The asked agency's head is told; the workbench's unread list links the request, not the case.
    html = get(cast.jingzhou.head, reverse("web:workbench"))
    assert f'<a href="{reverse("web:assistance-request", args=[item.pk])}">' in html


def test_the_demo_logins_find_requests_sent_received_answered_and_overdue(settings, media):
    from io import StringIO

    from django.core.management import call_command

    from agencies.models import User

    settings.DEBUG = True
    call_command("seed_agencies", verbosity=0, stdout=StringIO())
    call_command("seed_demo", cases=5, verbosity=0, stdout=StringIO())

    def desk(username, **params):
        return get(User.objects.get(username=username), **params)

    wangfang = desk("wangfang", box="outgoing")
    assert "已答复" in wangfang and "答复已逾期" in wangfang and "已拒绝" in wangfang
    assert "答复已逾期" in desk("chenjun", box="incoming", overdue="on")
    assert "已答复" in desk("huanglei", box="incoming") and "待答复" in desk("huanglei", box="outgoing")
    liuyang = desk("liuyang", box="incoming")
    assert "答复已逾期" in liuyang and "已拒绝" in liuyang
    # The answer's file joined the case's evidence; a second run adds nothing.
    answered = AssistanceRequest.objects.get(subject__startswith="核查荆州恒达酒业")
    assert answered.files.count() == 1 and answered.case.files.filter(pk__in=answered.files.all()).exists()
    count = AssistanceRequest.objects.count()
    call_command("seed_demo", cases=5, verbosity=0, stdout=StringIO())
    assert AssistanceRequest.objects.count() == count


def test_htmx_marks_a_bad_filter_at_its_field_out_of_band(cast):
    cast.ask()
    client = signed_in(cast.yichang.officer)
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "assistance-rows"}
    html = client.get(DESK, {"status": "bogus"}, **headers).content.decode()
    assert "<html" not in html and row_ids(html) == []
    bar = re.search(r'<div id="assistance-filter-fields" hx-swap-oob="true">(.*?)\n    </div>\n', html, re.S)
    assert bar, "the filter bar is swapped out of band"
    fields = bar.group(1)
    assert 'id="desk-status-errors"' in fields and 'aria-invalid="true"' in fields
    assert 'class="form-summary"' in fields and 'href="#desk-status"' in fields
    assert 'id="desk-overdue"' in fields
    html = client.get(DESK, {"status": "open"}, **headers).content.decode()
    assert 'id="assistance-filter-fields" hx-swap-oob="true"' in html and len(row_ids(html)) == 1
    assert "errorlist" not in html and "form-summary" not in html and "aria-invalid" not in html
    page = client.get(DESK, {"status": "bogus"}).content.decode()
    assert 'id="assistance-filter-fields">' in page and "hx-swap-oob" not in page.split('id="assistance-rows"')[0]


def test_each_checkbox_sits_before_its_label_on_one_line(cast):
    html = get(cast.yichang.officer, overdue="on")
    for name, label in (("open", "仅看待答复"), ("overdue", "仅已逾期")):
        assert re.search(rf'<div class="field single-box check">\s*<label class="inline" for="desk-{name}">'
                         rf'<input type="checkbox" name="{name}"[^>]*> {label}</label>', html)
    assert re.search(r'<input type="checkbox" name="overdue" id="desk-overdue" checked>|'
                     r'<input type="checkbox" name="overdue"[^>]*checked', html)
