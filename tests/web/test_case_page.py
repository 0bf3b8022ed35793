"""The case page's frame and its tabs 基本信息, 当事人, 办案过程: who may open
them, what the header and the action bar show, how parties are masked, and
what each costs in queries."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from casehub import access
from casehub.models import AuditEntry, Case, Party
from casehub.rules import workflow
from casehub.rules.identifiers import mask_id_number
from casehub.services import cases as service
from tests.factories import VALID_CREDIT_CODE, VALID_ID_NUMBER, make_case
from tests.web.case_story import advance, buttons, field_errors, shared_reader
from tests.web.helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db

TABS = ("web:case", "web:case-parties", "web:case-timeline")


@pytest.fixture
def case(office):
    return make_case(office)


@pytest.mark.parametrize("name", TABS)
def test_anonymous_is_sent_to_sign_in(case, name):
    url = reverse(name, args=[case.pk])
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize(("name", "audited_as"), [
    ("web:case", "case.read"), ("web:case-parties", "case.read_parties"), ("web:case-timeline", "case.timeline")])
def test_another_agencys_case_is_a_404_and_the_attempt_is_audited(case, outsider, name, audited_as):
    response = signed_in(outsider).get(reverse(name, args=[case.pk]))
    assert response.status_code == 404
    assert case.number not in response.content.decode()
    entry = AuditEntry.objects.filter(user=outsider).latest("seq")
    assert (entry.action, entry.result, entry.object_id, entry.owner_agency_id) == (
        audited_as, AuditEntry.RESULT_DENIED, str(case.pk), case.owning_agency_id)


def test_adding_a_party_to_another_agencys_case_is_a_404_audited_and_stores_nothing(case, outsider):
    response = signed_in(outsider).post(reverse("web:case-parties", args=[case.pk]),
                                        {"role": "respondent", "kind": "enterprise", "name": "某公司"})
    assert response.status_code == 404
    assert not Party.objects.filter(name="某公司").exists()
    entry = AuditEntry.objects.filter(user=outsider).latest("seq")
    assert (entry.action, entry.result) == ("case.add_party", AuditEntry.RESULT_DENIED)


def test_a_case_that_does_not_exist_is_a_404(office):
    assert signed_in(office.officer).get(reverse("web:case", args=[999999])).status_code == 404


def _expected(user, case):
    case = Case.objects.get(pk=case.pk)
    return workflow.available(service.case_facts(case), access.case_roles(user, case))


@pytest.mark.parametrize("who", ["officer", "reviewer", "head", "shared"])
@pytest.mark.parametrize("steps", [(), ("file", "start_investigation", "submit_for_review")])
def test_each_role_sees_exactly_its_actions_on_every_tab(office, who, steps):
    case = advance(make_case(office), office, *steps)
    user = shared_reader(case) if who == "shared" else getattr(office, who)
    expected = _expected(user, case)
    for name in TABS:
        response = signed_in(user).get(reverse(name, args=[case.pk]))
        assert response.status_code == 200
        shown = buttons(response.content.decode())
        assert sorted(shown) == sorted(expected), (who, name)
    if who == "head":
        # The step forward comes first, the irreversible acts last.
        assert shown[0] == ("file" if not steps else "decide")
        assert shown[-1] == "withdraw"
    if who == "shared":
        assert expected == []  # an agency the case is only shared with reads it


def test_the_header_shows_number_status_agency_people_and_the_deadline(office, case):
    html = signed_in(office.officer).get(reverse("web:case", args=[case.pk])).content.decode()
    header = html[html.index('id="case-header"'):html.index('id="action-panel"')]
    assert case.number in header and case.title in header
    assert 'class="badge badge-lead"' in header
    assert office.agency.name in header
    assert office.officer.display_name in header and office.officer2.display_name in header
    assert "立案期限" in header and "个工作日" in header and case.next_deadline_on.isoformat() in header


def test_a_stopped_clock_shows_with_its_reason(office, case):
    service.apply_action(actor=office.officer, case_id=case.pk, name="stop_clock", data={"reason": "appraisal"})
    html = signed_in(office.officer).get(reverse("web:case-parties", args=[case.pk])).content.decode()
    assert "计时中止（鉴定）" in html
    assert "起计时中止：鉴定" in html
    assert buttons(html).count("restart_clock") == 1 and "stop_clock" not in buttons(html)


def test_the_calendar_warning_shows_beside_the_date(office, case):
    Case.objects.filter(pk=case.pk).update(deadline_warning="calendar for 2027 not loaded")
    html = signed_in(office.officer).get(reverse("web:case", args=[case.pk])).content.decode()
    assert "2027 年工作日历未加载" in html


def test_the_overview_shows_the_record_and_the_decision(office, case):
    advance(case, office, "file", "start_investigation", "submit_for_review")
    service.apply_action(actor=office.head, case_id=case.pk, name="decide", data={
        "outcome": "penalty", "decision_date": case.lead_received_on, "decision_number": "宜市监处罚〔2026〕7号",
        "penalties": ["fine", "confiscate_goods"], "fine_amount": "50000.00", "confiscated_amount": "1200.50",
        "legal_basis": "《中华人民共和国商标法》第六十条"})
    html = signed_in(office.reviewer).get(reverse("web:case", args=[case.pk])).content.decode()
    assert case.facts in html and "行政处罚" in html and "商标" in html
    assert "¥86,000.00" in html  # the amount involved, in yuan
    assert "宜市监处罚〔2026〕7号" in html and "罚款、没收侵权物品" in html
    assert "¥50,000.00" in html and "¥1,200.50" in html and "《中华人民共和国商标法》第六十条" in html


def test_reading_the_overview_is_audited(office, case):
    signed_in(office.reviewer).get(reverse("web:case", args=[case.pk]))
    entry = AuditEntry.objects.filter(user=office.reviewer).latest("seq")
    assert (entry.action, entry.result, entry.object_id) == ("case.read", AuditEntry.RESULT_ALLOWED, str(case.pk))


def test_the_summary_prints(office, case):
    html = signed_in(office.officer).get(reverse("web:case", args=[case.pk])).content.decode()
    assert 'href="/static/casehub/print.css" media="print"' in html


# --- parties -------------------------------------------------------------------

@pytest.fixture
def with_parties(office):
    case = make_case(office)
    for data in (
        {"role": "respondent", "kind": "individual", "name": "张三", "id_number": VALID_ID_NUMBER, "contact": "13800000000"},
        {"role": "informant", "kind": "individual", "name": "李四举报人", "contact": "13900000000"},
        {"role": "respondent", "kind": "enterprise", "name": "某商贸有限公司", "credit_code": VALID_CREDIT_CODE},
    ):
        service.add_party(actor=office.officer, case=case, data=data)
    return case


def _parties_html(user, case):
    response = signed_in(user).get(reverse("web:case-parties", args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('id="parties-title"'):]


@pytest.mark.parametrize(("who", "full_id", "informant"), [
    ("officer", True, False), ("reviewer", True, True), ("head", True, True), ("shared", False, False)])
def test_parties_are_masked_as_the_access_module_says(office, with_parties, who, full_id, informant):
    user = shared_reader(with_parties) if who == "shared" else getattr(office, who)
    html = _parties_html(user, with_parties)
    assert "张三" in html and "某商贸有限公司" in html and VALID_CREDIT_CODE in html
    assert (VALID_ID_NUMBER in html) is full_id
    assert ("13800000000" in html) is full_id  # an individual's contact goes with the ID number
    if not full_id:
        assert mask_id_number(VALID_ID_NUMBER) in html
    assert ("李四举报人" in html) is informant
    assert ("（保密）" in html) is not informant
    entry = AuditEntry.objects.filter(user=user).latest("seq")
    assert entry.action == "case.read_parties"
    assert bool(entry.detail["informants_shown"]) is informant


def test_the_owners_handlers_add_a_party(office, case):
    url = reverse("web:case-parties", args=[case.pk])
    assert "添加当事人" in signed_in(office.officer).get(url).content.decode()
    client = signed_in(office.officer)
    response = client.post(url, {
        "role": "respondent", "kind": "enterprise", "name": "宜昌某某贸易有限公司", "credit_code": VALID_CREDIT_CODE,
        "legal_representative": "王五", "address": "宜昌市西陵区", "contact": ""})
    assert response.status_code == 302 and response["Location"] == url
    party = Party.objects.get(case=case, name="宜昌某某贸易有限公司")
    assert party.credit_code == VALID_CREDIT_CODE and party.legal_representative == "王五"
    page = client.get(url).content.decode()
    assert "已添加当事人" in page and "宜昌某某贸易有限公司" in page


def test_a_wrong_check_character_shows_at_the_field_and_stores_nothing(office, case):
    url = reverse("web:case-parties", args=[case.pk])
    before = Party.objects.count()
    bad_code = VALID_CREDIT_CODE[:-1] + ("0" if VALID_CREDIT_CODE[-1] != "0" else "1")
    response = signed_in(office.officer).post(url, {
        "role": "respondent", "kind": "enterprise", "name": "宜昌某某贸易有限公司", "credit_code": bad_code,
        "address": "宜昌市西陵区"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "GB 32100" in field_errors(html, "party", "credit_code")
    assert field_errors(html, "party", "name") == ""
    assert Party.objects.count() == before
    assert 'value="宜昌某某贸易有限公司"' in html and f'value="{bad_code}"' in html and 'value="宜昌市西陵区"' in html
    entry = AuditEntry.objects.filter(user=office.officer, action="case.add_party").latest("seq")
    assert entry.result == AuditEntry.RESULT_DENIED and "credit_code" in entry.detail["reasons"]


def test_an_id_number_with_a_wrong_check_character_shows_at_its_field(office, case):
    bad = VALID_ID_NUMBER[:-1] + "1"
    response = signed_in(office.officer).post(reverse("web:case-parties", args=[case.pk]), {
        "role": "respondent", "kind": "individual", "name": "赵六", "id_number": bad})
    assert "GB 11643" in field_errors(response.content.decode(), "party", "id_number")
    assert not Party.objects.filter(name="赵六").exists()


def test_a_missing_name_is_a_field_error(office, case):
    response = signed_in(office.officer).post(reverse("web:case-parties", args=[case.pk]), {
        "role": "respondent", "kind": "enterprise", "name": ""})
    assert field_errors(response.content.decode(), "party", "name") != ""
    assert Party.objects.filter(case=case).count() == 0


def test_a_reader_of_a_shared_case_gets_no_party_form(office, case):
    reader = shared_reader(case)
    assert "添加当事人" not in _parties_html(reader, case)
    response = signed_in(reader).post(reverse("web:case-parties", args=[case.pk]), {
        "role": "respondent", "kind": "enterprise", "name": "某公司"})
    assert response.status_code == 200
    assert not Party.objects.filter(name="某公司").exists()


def test_parties_cost_the_same_queries_for_1_and_50(office, case):
    def grow(n):
        while Party.objects.filter(case=case).count() < n:
            service.add_party(actor=office.officer, case=case, data={
                "role": "respondent", "kind": "individual", "name": "当事人", "id_number": VALID_ID_NUMBER})
    assert_constant_queries(signed_in(office.reviewer), reverse("web:case-parties", args=[case.pk]), grow)


# --- timeline ------------------------------------------------------------------

def test_the_timeline_is_oldest_first_with_labels_in_chinese(office, case):
    advance(case, office, "file")
    service.apply_action(actor=office.officer, case_id=case.pk, name="stop_clock", data={"reason": "testing"})
    html = signed_in(office.officer).get(reverse("web:case-timeline", args=[case.pk])).content.decode()
    labels = re.findall(r'<strong class="event-label">(.*?)</strong>', html)
    assert labels == ["登记线索", "立案", "计时中止"]
    assert "检测" in html  # the reason the clock stopped for
    assert office.head.display_name in html and office.agency.name in html
    assert re.search(r"<time [^>]*>\d{4}-\d\d-\d\d \d\d:\d\d</time>", html)


def test_a_long_timeline_loads_more(office, case):
    for i in range(60):
        service.add_note(actor=office.officer, case=case, text=f"笔记{i}")
    client = signed_in(office.officer)
    html = client.get(reverse("web:case-timeline", args=[case.pk])).content.decode()
    assert html.count('<li id="event-') == 50
    more = re.search(r'<li class="more"><a [^>]*href="([^"]+)"', html).group(1).replace("&amp;", "&")
    fragment = client.get(more, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert fragment.count('<li id="event-') == 11 and "笔记59" in fragment and 'class="more"' not in fragment
    page = client.get(more).content.decode()  # without JavaScript: a page of its own
    assert "<html" in page and "笔记59" in page and "从头查看" in page


def test_the_timeline_costs_the_same_queries_for_1_and_50(office, case):
    def grow(n):
        while case.timeline.count() < n:
            service.add_note(actor=office.officer, case=case, text="笔记")
    assert_constant_queries(signed_in(office.officer), reverse("web:case-timeline", args=[case.pk]), grow)


def test_tabs_swap_by_htmx_and_work_as_plain_links(office, case):
    client = signed_in(office.officer)
    html = client.get(reverse("web:case", args=[case.pk])).content.decode()
    for name in TABS:
        url = reverse(name, args=[case.pk])
        link = re.search(rf'<a href="{url}"[^>]*>', html).group(0)
        assert 'hx-boost="true"' in link and 'hx-select="#case-tabs"' in link
        # HTMX asks boosted: the whole page comes back, from which it takes the tabs.
        page = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true").content.decode()
        assert '<div id="case-tabs">' in page and f'<a href="{url}" aria-current="page"' in page
