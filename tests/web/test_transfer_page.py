"""A transfer's page: the case as the receiver may see it, the materials and
the Order 310 list, each step through its web form (refusals at the field,
a stale version, irreversible steps in a dialog), the hand-over, and the
procuratorate's supervision. Another agency's transfer is a 404, audited."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casehub.models import AuditEntry, Case, SupervisionOpinion, Transfer
from casehub.services import cases as case_service
from casehub.services import transfers as service
from tests.factories import VALID_ID_NUMBER
from tests.files.samples import PDF
from tests.transfers.helpers import Cast, open_filed_case, send_transfer_to_police

from .helpers import queries_for, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return Cast()


def page(transfer_id):
    return reverse("web:transfer", args=[transfer_id])


def step_url(transfer_id, name):
    return reverse("web:transfer-step", args=[transfer_id, name])


def post_step(user, transfer_id, name, **fields):
    transfer = Transfer.objects.get(pk=transfer_id)
    return signed_in(user).post(step_url(transfer_id, name), {"version": transfer.version, **fields})


def proposed(api, cast, materials=None):
    """A filed case of market supervision's proposed to the police (not sent)."""
    case_id = open_filed_case(api, cast)
    transfer = service.propose(actor=cast.officer, case=case_id, kind="suspected_crime", to_agency=cast.police,
                               reason="涉案货值三十八万元，涉嫌销售假冒注册商标的商品罪。",
                               materials=materials if materials is not None else [
                                   {"kind": "transfer_letter", "title": "涉嫌犯罪案件移送书"},
                                   {"kind": "investigation_report", "title": "调查报告"}])
    return case_id, transfer.pk


def status(transfer_id):
    return Transfer.objects.get(pk=transfer_id).status


# --- reading --------------------------------------------------------------------
def test_the_receiver_sees_the_case_summary_masked_without_informants(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    case_service.add_party(actor=cast.officer, case=case_id, data={
        "role": "respondent", "kind": "individual", "name": "张某某", "id_number": VALID_ID_NUMBER})
    case_service.add_party(actor=cast.officer, case=case_id, data={
        "role": "informant", "kind": "individual", "name": "举报人李某", "id_number": "440524188001010014"})
    html = signed_in(cast.police_liaison).get(page(tid)).content.decode()
    assert "张某某" in html and VALID_ID_NUMBER not in html and "110105***********X" in html
    assert "举报人李某" not in html and "440524188001010014" not in html
    assert 'id="case-summary"' in html and "现场查获假冒白酒1200瓶" in html
    # The police take the receiver's steps; the sender's are not offered to them.
    assert 'data-step="accept"' in html and 'data-step="return"' in html and 'data-step="refuse"' in html
    assert 'data-step="withdraw"' not in html and 'data-step="approve"' not in html
    # Refusing is irreversible: it asks in a dialog.
    assert 'data-open-dialog="#dialog-refuse"' in html and '<dialog id="dialog-refuse"' in html
    # The read of the parties is audited, as on the case page.
    assert AuditEntry.objects.filter(action="case.read_parties", user=cast.police_liaison).exists()


def test_the_owner_sees_full_id_numbers(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    case_service.add_party(actor=cast.officer, case=case_id, data={
        "role": "respondent", "kind": "individual", "name": "张某某", "id_number": VALID_ID_NUMBER})
    html = signed_in(cast.officer).get(page(tid)).content.decode()
    assert VALID_ID_NUMBER in html


def test_an_outsider_meets_a_404_audited_and_the_receiver_nothing_before_sending(api, cast):
    _case_id, tid = proposed(api, cast)
    for user in (cast.outsider, cast.police_liaison, cast.procurator):
        assert signed_in(user).get(page(tid)).status_code == 404
        assert signed_in(user).post(step_url(tid, "accept"), {"version": 1}).status_code == 404
        assert signed_in(user).post(reverse("web:transfer-materials", args=[tid]),
                                    {"kind": "other", "title": "x"}).status_code == 404
    denied = AuditEntry.objects.filter(user=cast.outsider, result=AuditEntry.RESULT_DENIED, object_id=str(tid))
    assert denied.exists() and denied.first().owner_agency_id == cast.market.pk
    assert signed_in(cast.outsider).get(page(999999)).status_code == 404
    assert signed_in(cast.outsider).get(step_url(tid, "nonsense")).status_code == 404


def test_the_page_costs_the_same_queries_with_many_materials(api, cast):
    _case_id, tid = proposed(api, cast, materials=[])
    client = signed_in(cast.officer)
    client.get(page(tid))
    service.add_material(actor=cast.officer, transfer=tid, kind="other", title="材料0")
    one, _ = queries_for(client, page(tid))
    for i in range(1, 30):
        service.add_material(actor=cast.officer, transfer=tid, kind="other", title=f"材料{i}")
    many, response = queries_for(client, page(tid))
    assert one == many and response.content.decode().count('<tr id="material-') == 30


# --- materials ------------------------------------------------------------------
def test_the_order_310_list_shows_what_is_missing_and_sending_is_refused_until_complete(api, cast):
    _case_id, tid = proposed(api, cast)
    assert post_step(cast.head, tid, "approve").status_code == 302
    html = signed_in(cast.officer).get(page(tid)).content.decode()
    assert 'id="missing-materials"' in html and "涉案物品清单" in html and "检验报告或者鉴定意见" in html
    response = post_step(cast.officer, tid, "send")
    assert response.status_code == 400 and status(tid) == "approved"
    assert 'id="missing-materials"' in response.content.decode() and "form-summary" in response.content.decode()
    client = signed_in(cast.officer)
    for kind, title in (("seized_items_list", "涉案物品清单"), ("appraisal_report", "鉴定意见")):
        response = client.post(reverse("web:transfer-materials", args=[tid]), {"kind": kind, "title": title})
        assert response.status_code == 302
    assert 'id="missing-materials"' not in client.get(page(tid)).content.decode()
    assert post_step(cast.officer, tid, "send").status_code == 302 and status(tid) == "sent"


def test_a_material_with_an_uploaded_file_joins_the_case_evidence(api, cast, media):
    case_id, tid = proposed(api, cast)
    response = signed_in(cast.officer).post(reverse("web:transfer-materials", args=[tid]), {
        "kind": "seized_items_list", "title": "涉案物品清单",
        "upload": SimpleUploadedFile("清单.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302, response.content.decode()[:2000]
    material = Transfer.objects.get(pk=tid).materials.get(kind="seized_items_list")
    assert material.file is not None and material.file.case_id == case_id


def test_a_bad_upload_is_refused_at_its_field_and_nothing_is_stored(api, cast, media):
    case_id, tid = proposed(api, cast)
    before = Case.objects.get(pk=case_id).files.count()
    response = signed_in(cast.officer).post(reverse("web:transfer-materials", args=[tid]), {
        "kind": "other", "title": "脚本", "upload": SimpleUploadedFile("a.exe", b"MZ\x90\x00binary", "application/x")})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'id="material-upload-errors"', html)
    assert Case.objects.get(pk=case_id).files.count() == before
    assert not Transfer.objects.get(pk=tid).materials.filter(title="脚本").exists()


def test_a_material_without_kind_or_title_is_refused_at_the_fields(api, cast):
    _case_id, tid = proposed(api, cast)
    response = signed_in(cast.officer).post(reverse("web:transfer-materials", args=[tid]), {"kind": "", "title": ""})
    html = response.content.decode()
    assert response.status_code == 400 and 'id="material-kind-errors"' in html and 'id="material-title-errors"' in html


def test_the_receiver_adds_no_materials(api, cast):
    _case_id, tid = send_transfer_to_police(api, cast)
    html = signed_in(cast.police_liaison).get(page(tid)).content.decode()
    assert 'id="material-form"' not in html
    response = signed_in(cast.police_liaison).post(reverse("web:transfer-materials", args=[tid]),
                                                   {"kind": "other", "title": "补充"})
    assert response.status_code == 400 and "form-summary" in response.content.decode()
    assert not Transfer.objects.get(pk=tid).materials.filter(title="补充").exists()


# --- the steps --------------------------------------------------------------------
def test_the_head_rejects_only_with_a_reason_at_the_field(api, cast):
    _case_id, tid = proposed(api, cast)
    response = post_step(cast.head, tid, "reject", reason="")
    assert response.status_code == 400 and 'id="reject-reason-errors"' in response.content.decode()
    assert status(tid) == "proposed"
    assert AuditEntry.objects.filter(action="transfer.reject", result=AuditEntry.RESULT_DENIED).exists()
    response = post_step(cast.head, tid, "reject", reason="证据不足，暂不移送")
    assert response.status_code == 302 and status(tid) == "rejected"
    assert Transfer.objects.get(pk=tid).last_reason == "证据不足，暂不移送"


def test_an_officer_cannot_approve(api, cast):
    _case_id, tid = proposed(api, cast)
    html = signed_in(cast.officer).get(page(tid)).content.decode()
    assert 'data-step="approve"' not in html and 'data-step="withdraw"' in html
    response = post_step(cast.officer, tid, "approve")
    assert response.status_code == 400 and status(tid) == "proposed"


def test_a_step_form_opens_in_the_panel_and_alone_for_htmx(api, cast):
    _case_id, tid = proposed(api, cast)
    client = signed_in(cast.head)
    fragment = client.get(step_url(tid, "approve"), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<form") and 'id="form-approve"' in fragment
    whole = client.get(step_url(tid, "approve")).content.decode()
    assert 'id="action-panel"><form' in whole.replace("\n", "")


def test_a_stale_version_says_so(api, cast):
    _case_id, tid = proposed(api, cast)
    old = Transfer.objects.get(pk=tid).version
    service.add_material(actor=cast.officer, transfer=tid, kind="other", title="其他材料")
    response = signed_in(cast.head).post(step_url(tid, "approve"), {"version": old})
    assert response.status_code == 400 and status(tid) == "proposed"
    assert "please reload it" in response.content.decode() or "请重新加载" in response.content.decode()


def test_bad_version_input_is_refused_at_the_form(api, cast):
    _case_id, tid = proposed(api, cast)
    response = signed_in(cast.head).post(step_url(tid, "approve"), {"version": "abc"})
    assert response.status_code == 400 and status(tid) == "proposed"


def test_the_whole_story_through_the_forms(api, cast):
    """Approve, send, return for materials (with the list), resubmit, refuse,
    reconsideration, accept with the police case number, hand over; and the
    supervision: request, opinion, reply."""
    _case_id, tid = proposed(api, cast, materials=[
        {"kind": k, "title": k} for k in ("transfer_letter", "investigation_report", "seized_items_list",
                                            "appraisal_report")])
    assert post_step(cast.head, tid, "approve").status_code == 302
    response = post_step(cast.officer, tid, "send")
    assert response.status_code == 302 and status(tid) == "sent"
    follow = signed_in(cast.officer).get(page(tid))
    assert "宜昌市公安局" in follow.content.decode()
    # Return for materials, with the list of what is wanted.
    response = post_step(cast.police_liaison, tid, "return", reason="请补充", wanted=["appraisal_report"])
    assert response.status_code == 302 and status(tid) == "returned"
    assert "检验报告或者鉴定意见" in Transfer.objects.get(pk=tid).last_reason
    assert post_step(cast.officer, tid, "resubmit").status_code == 302 and status(tid) == "sent"
    # Refuse (a reason is required).
    assert post_step(cast.police_liaison, tid, "refuse").status_code == 400
    assert post_step(cast.police_liaison, tid, "refuse", reason="不构成犯罪").status_code == 302
    assert status(tid) == "refused"
    # The sender's head asks for supervision, and for reconsideration.
    head = signed_in(cast.head)
    html = head.get(page(tid)).content.decode()
    assert 'id="supervision-form"' in html and 'data-step="request_reconsideration"' in html
    assert head.post(reverse("web:transfer-supervision", args=[tid]), {"reason": ""}).status_code == 400
    response = head.post(reverse("web:transfer-supervision", args=[tid]), {"reason": "请检察院监督立案"})
    assert response.status_code == 302
    assert post_step(cast.head, tid, "request_reconsideration", reason="证据充分").status_code == 302
    # The procurator issues an opinion; bad input at the field first.
    procurator = signed_in(cast.procurator)
    html = procurator.get(page(tid)).content.decode()
    assert 'id="opinion-form"' in html and "请检察院监督立案" in html
    response = procurator.post(reverse("web:transfer-opinions", args=[tid]), {"kind": "nonsense", "opinion": "x"})
    assert response.status_code == 400 and 'id="opinion-kind-errors"' in response.content.decode()
    response = procurator.post(reverse("web:transfer-opinions", args=[tid]),
                               {"kind": "explain_refusal", "opinion": "请公安机关说明不立案理由"})
    assert response.status_code == 302
    opinion = SupervisionOpinion.objects.get(transfer_id=tid)
    # The police reply at their form; the sender sees no reply form.
    assert f'id="reply-form-{opinion.pk}"' not in head.get(page(tid)).content.decode()
    police = signed_in(cast.police_liaison)
    assert f'id="reply-form-{opinion.pk}"' in police.get(page(tid)).content.decode()
    reply = reverse("web:transfer-reply", args=[tid, opinion.pk])
    assert police.post(reply, {"response": ""}).status_code == 400
    assert head.post(reply, {"response": "冒名回复"}).status_code == 400
    assert police.post(reply, {"response": "经复核，决定立案侦查"}).status_code == 302
    opinion.refresh_from_db()
    assert opinion.response == "经复核，决定立案侦查"
    assert police.post(reply, {"response": "再次回复"}).status_code == 400
    assert police.post(reverse("web:transfer-reply", args=[tid, 999999]), {"response": "x"}).status_code == 404
    # Accepting a suspected crime asks for the police case number.
    response = post_step(cast.police_liaison, tid, "accept")
    assert response.status_code == 400 and 'id="accept-receiver_case_number-errors"' in response.content.decode()
    assert post_step(cast.police_liaison, tid, "accept", receiver_case_number="宜公刑立字〔2026〕101号").status_code == 302
    transfer = Transfer.objects.get(pk=tid)
    assert transfer.status == "accepted" and transfer.receiver_case_number == "宜公刑立字〔2026〕101号"
    # The hand-over follows, once.
    officer = signed_in(cast.officer)
    assert 'id="hand-over-form"' in officer.get(page(tid)).content.decode()
    assert officer.post(reverse("web:transfer-hand-over", args=[tid]), {"note": ""}).status_code == 400
    assert officer.post(reverse("web:transfer-hand-over", args=[tid]),
                        {"note": "白酒1200瓶及案卷交公安机关"}).status_code == 302
    html = officer.get(page(tid)).content.decode()
    assert 'id="hand-over-record"' in html and 'id="hand-over-form"' not in html
    assert officer.post(reverse("web:transfer-hand-over", args=[tid]), {"note": "再次"}).status_code == 400


def test_withdrawing_confirms_in_a_dialog_and_needs_a_reason(api, cast):
    _case_id, tid = proposed(api, cast)
    html = signed_in(cast.officer).get(page(tid)).content.decode()
    assert '<dialog id="dialog-withdraw"' in html and 'data-open-dialog="#dialog-withdraw"' in html
    assert post_step(cast.officer, tid, "withdraw", reason="").status_code == 400
    assert post_step(cast.officer, tid, "withdraw", reason="当事人已主动消除影响").status_code == 302
    assert status(tid) == "withdrawn"


def test_uphold_the_refusal(api, cast):
    _case_id, tid = send_transfer_to_police(api, cast)
    assert post_step(cast.police_liaison, tid, "refuse", reason="不构成犯罪").status_code == 302
    assert post_step(cast.head, tid, "request_reconsideration", reason="证据充分").status_code == 302
    assert post_step(cast.police_liaison, tid, "uphold_refusal", reason="维持").status_code == 302
    assert status(tid) == "refusal_upheld"


# --- proposing -----------------------------------------------------------------
def test_proposing_from_the_case_page(api, cast):
    case_id = open_filed_case(api, cast)
    tab = signed_in(cast.officer).get(reverse("web:case-cooperation", args=[case_id])).content.decode()
    new = reverse("web:case-transfer-new", args=[case_id])
    assert f'href="{new}"' in tab
    client = signed_in(cast.officer)
    form = client.get(new).content.decode()
    assert 'id="transfer-form"' in form and 'name="materials-3-kind"' in form
    assert 'value="seized_items_list" selected' in form  # the rows start with Order 310's list
    data = {"kind": "suspected_crime", "to_agency": cast.police.pk, "reason": "涉嫌犯罪",
            "materials-TOTAL_FORMS": "2", "materials-INITIAL_FORMS": "0",
            "materials-0-kind": "transfer_letter", "materials-0-title": "移送书", "materials-0-file": "",
            "materials-1-kind": "", "materials-1-title": "", "materials-1-file": ""}
    response = client.post(new, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    transfer = Transfer.objects.get(case_id=case_id)
    assert response["Location"] == reverse("web:transfer", args=[transfer.pk])
    assert transfer.materials.count() == 1 and transfer.status == "proposed"


def test_proposing_is_refused_at_the_fields(api, cast):
    case_id = open_filed_case(api, cast)
    new = reverse("web:case-transfer-new", args=[case_id])
    client = signed_in(cast.officer)
    base = {"kind": "suspected_crime", "reason": "涉嫌犯罪", "materials-TOTAL_FORMS": "1",
            "materials-INITIAL_FORMS": "0", "materials-0-kind": "", "materials-0-title": "", "materials-0-file": ""}
    # A suspected crime goes to the police: the service's routing refusal at the agency.
    response = client.post(new, {**base, "to_agency": cast.jingzhou.pk})
    assert response.status_code == 400 and 'id="transfer-to_agency-errors"' in response.content.decode()
    # A row with a title and no kind.
    response = client.post(new, {**base, "to_agency": cast.police.pk, "materials-0-title": "无类别"})
    assert response.status_code == 400 and 'id="id_materials-0-kind-errors"' in response.content.decode() \
        or "materials-0-kind" in response.content.decode()
    # Nonsense.
    response = client.post(new, {**base, "to_agency": "abc", "kind": "x"})
    assert response.status_code == 400
    assert not Transfer.objects.filter(case_id=case_id).exists()


def test_only_the_owner_proposes(api, cast):
    case_id, _tid = send_transfer_to_police(api, cast)
    new = reverse("web:case-transfer-new", args=[case_id])
    assert signed_in(cast.outsider).get(new).status_code == 404
    assert signed_in(cast.outsider).post(new, {}).status_code == 404
    # The police see the case (it was sent to them) but propose nothing of it.
    response = signed_in(cast.police_liaison).get(new)
    assert response.status_code == 302
    tab = signed_in(cast.police_liaison).get(reverse("web:case-cooperation", args=[case_id])).content.decode()
    assert f'href="{new}"' not in tab


def test_every_transfer_route_is_a_404_to_an_outsider_and_changes_nothing(api, cast):
    _case_id, tid = send_transfer_to_police(api, cast)
    opinion = service.issue_opinion(actor=cast.procurator, transfer_id=tid, kind="reply_to_opinion", opinion="请回复")
    urls = [page(tid), step_url(tid, "accept"), reverse("web:transfer-materials", args=[tid]),
            reverse("web:transfer-hand-over", args=[tid]), reverse("web:transfer-supervision", args=[tid]),
            reverse("web:transfer-opinions", args=[tid]), reverse("web:transfer-reply", args=[tid, opinion.pk])]
    before = Transfer.objects.get(pk=tid).version
    client = signed_in(cast.outsider)
    # (A POST to the page itself is a 405 to anyone: it reveals nothing.)
    assert client.get(urls[0]).status_code == 404
    for url in urls[1:]:
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {"version": before, "reason": "x", "note": "x", "kind": "other", "title": "x",
                                 "opinion": "x", "response": "x", "receiver_case_number": "x"}).status_code == 404, url
    assert Transfer.objects.get(pk=tid).version == before
    assert SupervisionOpinion.objects.get(pk=opinion.pk).responded_at is None
