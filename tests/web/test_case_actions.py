"""The workflow action forms of the case page: each built from its action's
fields, sent to the case service, refusals at the fields with the input
kept, a stale version said plainly, irreversible acts confirmed in a dialog."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from casehub.models import AuditEntry, Case, ClockStop, DeadlineExtension
from casehub.rules import workflow
from casehub.services import cases as service
from tests.factories import make_case
from tests.web.case_story import advance, buttons, field_errors, shared_reader
from tests.web.helpers import signed_in

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
BOOSTED = {"HTTP_HX_REQUEST": "true", "HTTP_HX_BOOSTED": "true"}


@pytest.fixture
def case(office):
    return make_case(office)  # a lead with the lead officer and a second handler


def action_url(case, name):
    return reverse("web:case-action", args=[case.pk, name])


def fresh(case):
    return Case.objects.get(pk=case.pk)


def test_anonymous_is_sent_to_sign_in(case):
    url = action_url(case, "file")
    for response in (Client().get(url), Client().post(url, {"version": case.version})):
        assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_another_agencys_case_is_a_404_for_the_form_and_the_submission(case, outsider, headers):
    client = signed_in(outsider)
    response = client.get(action_url(case, "file"), **headers)
    assert response.status_code == 404
    entry = AuditEntry.objects.filter(user=outsider).latest("seq")
    assert (entry.action, entry.result, entry.object_id) == ("case.read", AuditEntry.RESULT_DENIED, str(case.pk))
    response = client.post(action_url(case, "file"), {"version": case.version}, **headers)
    assert response.status_code == 404
    assert fresh(case).status == "lead" and fresh(case).version == case.version
    entry = AuditEntry.objects.filter(user=outsider).latest("seq")
    assert (entry.action, entry.result, entry.owner_agency_id) == (
        "case.file", AuditEntry.RESULT_DENIED, case.owning_agency_id)


def test_an_unknown_action_is_a_404(office, case):
    assert signed_in(office.head).get(action_url(case, "explode")).status_code == 404


def test_the_form_comes_as_a_fragment_for_htmx_and_as_a_page_without(office, case):
    client = signed_in(office.head)
    fragment = client.get(action_url(case, "file"), **HTMX).content.decode()
    assert "<html" not in fragment
    assert 'id="form-file"' in fragment and 'name="filed_on"' in fragment and 'name="comment"' in fragment
    assert f'name="version" value="{case.version}"' in fragment
    page = client.get(action_url(case, "file")).content.decode()
    assert "<html" in page and 'id="form-file"' in page and 'id="case-header"' in page


def test_every_button_opens_its_own_form(office, case):
    html = signed_in(office.head).get(reverse("web:case", args=[case.pk])).content.decode()
    for name in buttons(html):
        assert f'href="{action_url(case, name)}"' in html
        fragment = signed_in(office.head).get(action_url(case, name), **HTMX).content.decode()
        action = workflow.ACTIONS[name]
        for field in action.fields:
            assert f'name="{field}"' in fragment, (name, field)
        for field in action.required:
            label = re.search(rf'<label for="{name}-{field}">.*?</label>', fragment, re.S)
            assert label and 'class="required"' in label.group(0), (name, field)


def test_the_decision_form_has_its_fields_typed(office, case):
    advance(case, office, "file", "start_investigation", "submit_for_review")
    html = signed_in(office.reviewer).get(action_url(case, "decide"), **HTMX).content.decode()
    assert re.search(r'<select name="outcome"[^>]*>.*value="penalty".*value="no_penalty".*value="transfer"', html, re.S)
    assert 'type="date" name="decision_date"' in html
    assert html.count('type="checkbox" name="penalties"') == len(workflow.PenaltyType.choices)
    assert 'type="number" name="fine_amount"' in html and 'type="number" name="confiscated_amount"' in html
    for field in ("decision_number", "legal_basis", "reason"):
        assert f'name="{field}"' in html


def test_a_head_files_a_case_with_two_handlers(office, case):
    client = signed_in(office.head)
    response = client.post(action_url(case, "file"), {"version": case.version, "comment": "同意立案",
                                                      "next": reverse("web:case-timeline", args=[case.pk])})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:case-timeline", args=[case.pk])
    case = fresh(case)
    assert case.status == "filed" and case.filed_on is not None
    page = client.get(response["Location"]).content.decode()
    assert "已立案" in page
    assert "file" not in buttons(page) and "start_investigation" in buttons(page)
    assert AuditEntry.objects.get(user=office.head, action="case.file").result == AuditEntry.RESULT_ALLOWED


def test_a_boosted_submission_is_answered_with_the_same_redirect(office, case):
    """HTMX sends the form boosted and swaps in the page it is redirected to."""
    response = signed_in(office.head).post(action_url(case, "file"), {"version": case.version}, **BOOSTED)
    assert response.status_code == 302 and response["Location"] == reverse("web:case", args=[case.pk])
    assert fresh(case).status == "filed"


def test_only_a_page_of_this_case_is_returned_to(office, case):
    response = signed_in(office.head).post(action_url(case, "file"), {"version": case.version,
                                                                      "next": "https://evil.example/cases/"})
    assert response["Location"] == reverse("web:case", args=[case.pk])


def test_filing_with_one_handler_is_refused_and_stores_nothing(office):
    case = make_case(office, handlers=[])
    response = signed_in(office.head).post(action_url(case, "file"), {"version": case.version, "comment": "请立案"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "两名" in html and 'class="form-summary"' in html
    assert "请立案</textarea>" in html  # the input is kept
    assert fresh(case).status == "lead" and fresh(case).version == case.version
    entry = AuditEntry.objects.filter(user=office.head).latest("seq")
    assert (entry.action, entry.result) == ("case.file", AuditEntry.RESULT_DENIED)


def _decision(**overrides):
    data = {"outcome": "penalty", "decision_date": "2026-12-01", "decision_number": "宜市监处罚〔2026〕88号",
            "penalties": ["fine", "confiscate_goods"], "fine_amount": "50000", "confiscated_amount": "1200.50",
            "legal_basis": "《中华人民共和国商标法》第六十条第二款", "reason": ""}
    data.update(overrides)
    return data


@pytest.fixture
def under_review(office, case):
    case = advance(case, office, "file", "start_investigation", "submit_for_review")
    Case.objects.filter(pk=case.pk).update(filed_on="2026-11-20")
    return fresh(case)


def test_a_penalty_without_its_document_number_shows_at_that_field(office, under_review):
    case = under_review
    response = signed_in(office.reviewer).post(action_url(case, "decide"),
                                               {**_decision(decision_number=""), "version": case.version})
    assert response.status_code == 200
    html = response.content.decode()
    assert "决定书文号" in field_errors(html, "decide", "decision_number")
    assert field_errors(html, "decide", "fine_amount") == ""
    assert 'value="50000"' in html and "《中华人民共和国商标法》第六十条第二款</textarea>" in html
    assert re.search(r'value="fine"[^>]*checked|checked[^>]*value="fine"', html)
    case = fresh(case)
    assert case.status == "under_review" and case.outcome == "" and case.version == under_review.version


def test_a_decision_date_in_the_future_shows_at_its_field(office, under_review):
    response = signed_in(office.reviewer).post(action_url(under_review, "decide"), {
        **_decision(decision_date="2099-01-01"), "version": under_review.version})
    assert "2099" in response.content.decode()
    assert field_errors(response.content.decode(), "decide", "decision_date") != ""
    assert fresh(under_review).status == "under_review"


def test_input_of_the_wrong_type_is_a_field_error_and_is_audited(office, under_review):
    response = signed_in(office.reviewer).post(action_url(under_review, "decide"), {
        **_decision(fine_amount="五万"), "version": under_review.version})
    html = response.content.decode()
    assert field_errors(html, "decide", "fine_amount") != "" and 'value="五万"' in html
    assert fresh(under_review).status == "under_review"
    entry = AuditEntry.objects.filter(user=office.reviewer).latest("seq")
    assert (entry.action, entry.result, entry.detail["refusal"]) == ("case.decide", "denied", "invalid")
    assert "fine_amount" in entry.detail["reasons"]


def test_a_decision_with_a_fine_then_execution_and_closing(office, under_review):
    client = signed_in(office.head)
    response = client.post(action_url(under_review, "decide"), {**_decision(), "version": under_review.version})
    assert response.status_code == 302
    case = fresh(under_review)
    assert (case.status, case.outcome, case.decision_number) == ("decided", "penalty", "宜市监处罚〔2026〕88号")
    assert case.penalties == ["fine", "confiscate_goods"] and str(case.fine_amount) == "50000.00"
    page = client.get(response["Location"]).content.decode()
    assert "已作出决定" in page and buttons(page)[0] == "start_execution"
    client.post(action_url(case, "start_execution"), {"version": case.version})
    case = fresh(case)
    assert case.status == "executing"
    client.post(action_url(case, "close"), {"version": case.version, "summary": "罚没款已缴清"})
    assert fresh(case).status == "closed" and fresh(case).closed_on is not None


def test_a_stale_version_says_so_and_keeps_the_input(office, under_review):
    read = under_review.version
    # Someone else changes the case meanwhile (a new party moves its version).
    service.add_party(actor=office.officer, case=under_review, data={"role": "respondent", "kind": "enterprise",
                                                                      "name": "另一公司"})
    response = signed_in(office.reviewer).post(action_url(under_review, "decide"), {**_decision(), "version": read})
    assert response.status_code == 200
    html = response.content.decode()
    assert "此案件已被他人修改" in html and "请重新加载" in html
    assert re.search(r'此案件已被他人修改 — <a href="/cases/\d+/">请重新加载</a>', html)
    assert 'value="宜市监处罚〔2026〕88号"' in html
    assert fresh(under_review).status == "under_review"


def test_irreversible_acts_confirm_in_a_dialog_with_the_reason(office, case):
    html = signed_in(office.head).get(reverse("web:case", args=[case.pk])).content.decode()
    for name in ("withdraw", "refuse_filing"):
        assert re.search(rf'data-action="{name}" data-open-dialog="#dialog-{name}"', html)
        dialog = re.search(rf'<dialog id="dialog-{name}".*?</dialog>', html, re.S).group(0)
        assert f'action="{action_url(case, name)}"' in dialog and 'name="reason"' in dialog
        assert "data-close-dialog" in dialog and 'class="danger"' in dialog
    # An officer has neither, and no dialog either.
    html = signed_in(office.officer).get(reverse("web:case", args=[case.pk])).content.decode()
    assert "<dialog" not in html


def test_withdrawing_needs_the_reason(office, case):
    client = signed_in(office.head)
    response = client.post(action_url(case, "withdraw"), {"version": case.version, "reason": ""})
    assert field_errors(response.content.decode(), "withdraw", "reason") != ""
    assert fresh(case).status == "lead"
    response = client.post(action_url(case, "withdraw"), {"version": case.version, "reason": "当事人已注销"})
    assert response.status_code == 302 and fresh(case).status == "withdrawn"
    page = client.get(response["Location"]).content.decode()
    assert "案件已撤回" in page and buttons(page) == []


def test_not_filing_records_the_reason(office, case):
    signed_in(office.head).post(action_url(case, "refuse_filing"), {"version": case.version, "reason": "不属于管辖"})
    case = fresh(case)
    assert case.status == "not_filed" and case.not_filed_reason == "不属于管辖"
    html = signed_in(office.head).get(reverse("web:case", args=[case.pk])).content.decode()
    assert "不予立案理由" in html and "不属于管辖" in html


def test_stopping_and_restarting_the_clock(office, case):
    client = signed_in(office.officer)
    form = client.get(action_url(case, "stop_clock"), **HTMX).content.decode()
    assert '<select name="reason"' in form and 'value="suspension"' not in form and 'value="appraisal"' in form
    client.post(action_url(case, "stop_clock"), {"version": case.version, "reason": "appraisal"})
    stop = ClockStop.objects.get(case=case)
    assert stop.reason == "appraisal" and stop.restarted_on is None
    page = client.get(reverse("web:case", args=[case.pk])).content.decode()
    assert "已计时中止" in page and "计时中止（鉴定）" in page and "restart_clock" in buttons(page)
    client.post(action_url(case, "restart_clock"), {"version": fresh(case).version})
    assert ClockStop.objects.get(case=case).restarted_on is not None
    assert "stop_clock" in buttons(client.get(reverse("web:case", args=[case.pk])).content.decode())


def test_the_head_extends_a_deadline_and_an_officer_cannot(office, case):
    form = signed_in(office.head).get(action_url(case, "extend_deadline"), **HTMX).content.decode()
    assert re.search(r'<option value="filing" selected>', form)
    response = signed_in(office.officer).post(action_url(case, "extend_deadline"), {
        "version": case.version, "deadline": "filing", "reason": "案情复杂"})
    assert response.status_code == 200 and 'class="form-summary"' in response.content.decode()
    assert not DeadlineExtension.objects.filter(case=case).exists()
    entry = AuditEntry.objects.filter(user=office.officer).latest("seq")
    assert (entry.action, entry.result) == ("case.extend_deadline", AuditEntry.RESULT_DENIED)
    due = case.next_deadline_on
    response = signed_in(office.head).post(action_url(case, "extend_deadline"), {
        "version": case.version, "deadline": "filing", "reason": "案情复杂"})
    assert response.status_code == 302
    assert DeadlineExtension.objects.get(case=case).reason == "案情复杂"
    assert fresh(case).next_deadline_on > due


def test_the_leadership_sets_the_deadline_collectively(office, case):
    advance(case, office, "file")
    case = fresh(case)
    form = signed_in(office.head).get(action_url(case, "set_deadline_collectively"), **HTMX).content.decode()
    for field in ("due_on", "meeting_date", "reason"):
        assert f'name="{field}"' in form
    response = signed_in(office.head).post(action_url(case, "set_deadline_collectively"), {
        "version": case.version, "due_on": "2099-06-30", "meeting_date": case.filed_on.isoformat(),
        "reason": "局务会议集体讨论"})
    assert response.status_code == 302
    assert fresh(case).next_deadline_on.isoformat() == "2099-06-30"


def test_a_shared_agency_reader_has_no_actions_and_is_refused(office, case):
    reader = shared_reader(case)
    assert buttons(signed_in(reader).get(reverse("web:case", args=[case.pk])).content.decode()) == []
    response = signed_in(reader).post(action_url(case, "stop_clock"), {"version": case.version, "reason": "testing"})
    assert response.status_code == 200 and 'class="form-summary"' in response.content.decode()
    assert not ClockStop.objects.filter(case=case).exists()
