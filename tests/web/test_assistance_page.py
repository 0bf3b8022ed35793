"""/assistance/<id>/ — one request: what the asked agency may see of the
case (its number), the answer or the reason it was declined; the asked
agency answers with files (they join the case's evidence; type and size
refused at the field) or declines with a reason in a <dialog>; refusals at
the field; another agency's request is a 404, audited, and nothing stored.
And asking for assistance from the case page."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from casehub.models import AssistanceRequest, AssistanceStatus, AuditEntry, EvidenceFile
from tests.audit.trail import Trail
from tests.files.samples import EXE, PDF, PNG

from .assistance_cast import Cast
from .case_tabs import assert_hidden_and_audited, assert_sign_in_redirect
from .helpers import queries_for, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def cast():
    return Cast()


@pytest.fixture
def item(cast):
    return cast.ask()


def page_url(item):
    return reverse("web:assistance-request", args=[item.pk])


def answer_url(item):
    return reverse("web:assistance-answer", args=[item.pk])


def decline_url(item):
    return reverse("web:assistance-decline", args=[item.pk])


def ask_url(case):
    return reverse("web:case-assistance-new", args=[case.pk])


def test_anonymous_is_sent_to_sign_in(item):
    assert_sign_in_redirect(page_url(item))
    assert_sign_in_redirect(answer_url(item), method="post")


def test_the_asked_agency_sees_the_request_and_the_case_number_only(cast, item):
    html = signed_in(cast.jingzhou.officer).get(page_url(item)).content.decode()
    assert "核查供货商营业执照及出货记录" in html and "荆州恒达酒业有限公司" in html
    assert cast.case.number in html and cast.case.title not in html and cast.case.facts not in html
    assert f'href="{reverse("web:case", args=[cast.case.pk])}"' not in html
    assert 'id="answer-form"' in html and 'enctype="multipart/form-data"' in html and 'id="dialog-decline"' in html
    assert 'data-open-dialog="#dialog-decline"' in html and "个工作日" in html


def test_the_asking_agency_sees_its_case_and_no_answer_form(cast, item):
    html = signed_in(cast.yichang.officer2).get(page_url(item)).content.decode()
    assert cast.case.title in html and f'href="{reverse("web:case", args=[cast.case.pk])}"' in html
    assert 'id="answer-form"' not in html and 'id="dialog-decline"' not in html


def test_an_outsider_gets_a_404_on_record_and_nothing_stored(cast, item, stranger):
    for user in (cast.jingmen.officer, stranger):
        entry = assert_hidden_and_audited(user, page_url(item), "assistance.retrieve")
        assert entry.owner_agency_id == cast.yichang.agency.pk
        assert_hidden_and_audited(user, answer_url(item), "assistance.answer", method="post",
                                  answer="已核查", files=SimpleUploadedFile("x.pdf", PDF))
        assert_hidden_and_audited(user, decline_url(item), "assistance.decline", method="post", reason="x")
    assert_hidden_and_audited(cast.jingmen.officer, reverse("web:assistance-request", args=[999999]),
                              "assistance.retrieve")
    item.refresh_from_db()
    assert item.status == AssistanceStatus.OPEN and EvidenceFile.objects.count() == 0


def test_the_asked_agency_answers_with_files_that_join_the_case(cast, item):
    client = signed_in(cast.jingzhou.officer)
    response = client.post(answer_url(item), {
        "answer": "经核查，荆州恒达酒业有限公司营业执照登记属实，出货记录附后。",
        "files": [SimpleUploadedFile("出货记录.pdf", PDF), SimpleUploadedFile("营业执照.png", PNG)]})
    assert response.status_code == 302 and response["Location"] == page_url(item)
    item.refresh_from_db()
    assert item.status == AssistanceStatus.ANSWERED and item.answered_by == cast.jingzhou.officer
    files = list(cast.case.files.order_by("pk"))
    assert [f.name for f in files] == ["出货记录.pdf", "营业执照.png"]
    assert {f.agency_id for f in files} == {cast.jingzhou.agency.pk} and set(item.files.all()) == set(files)
    html = client.get(page_url(item)).content.decode()
    assert "已答复" in html and "出货记录.pdf" in html and files[0].sha256 in html and "已发送答复" in html
    assert 'id="answer-form"' not in html  # answered once
    # The asker reads the answer, with the files to download from the case's evidence.
    asker = signed_in(cast.yichang.officer).get(page_url(item)).content.decode()
    assert "营业执照登记属实" in asker
    assert reverse("web:case-evidence-download", args=[cast.case.pk, files[0].pk]) in asker
    evidence = signed_in(cast.yichang.officer).get(reverse("web:case-evidence", args=[cast.case.pk]))
    assert "出货记录.pdf" in evidence.content.decode()


def test_an_answer_without_files_is_fine(cast, item):
    response = signed_in(cast.jingzhou.head).post(answer_url(item), {"answer": "经核查无异常。"})
    assert response.status_code == 302
    assert AssistanceRequest.objects.get(pk=item.pk).status == AssistanceStatus.ANSWERED


@pytest.mark.parametrize("upload, message", [
    (lambda: SimpleUploadedFile("setup.pdf", EXE), "不接受此类文件"),
    (lambda: SimpleUploadedFile("空.pdf", b""), "空"),
])
def test_a_bad_file_is_refused_at_the_field_and_nothing_is_stored(cast, item, upload, message):
    response = signed_in(cast.jingzhou.officer).post(answer_url(item), {
        "answer": "经核查属实。", "files": [SimpleUploadedFile("出货记录.pdf", PDF), upload()]})
    html = response.content.decode()
    assert response.status_code == 400
    errors = html.split('id="answer-files-errors"')[1].split("</ul>")[0]
    assert message in errors and 'aria-invalid="true"' in html
    assert "经核查属实。" in html  # the answer is kept as typed
    item.refresh_from_db()
    assert item.status == AssistanceStatus.OPEN and EvidenceFile.objects.count() == 0


def test_a_too_large_file_is_refused_at_the_field(cast, item, settings):
    settings.CASEHUB_MAX_UPLOAD_BYTES = 1024
    response = signed_in(cast.jingzhou.officer).post(answer_url(item), {
        "answer": "属实", "files": [SimpleUploadedFile("大.pdf", PDF + b"0" * 2048)]})
    assert response.status_code == 400 and 'id="answer-files-errors"' in response.content.decode()
    assert EvidenceFile.objects.count() == 0


def test_a_blank_answer_is_refused_at_its_field_and_on_record(cast, item):
    client = signed_in(cast.jingzhou.officer)
    trail = Trail()
    response = client.post(answer_url(item), {"answer": ""})
    assert response.status_code == 400 and 'id="answer-answer-errors"' in response.content.decode()
    assert trail.denied("assistance.answer").object_id == str(item.pk)


def test_the_asking_agency_may_not_answer_its_own_request(cast, item):
    response = signed_in(cast.yichang.officer).post(answer_url(item), {"answer": "自问自答"})
    html = response.content.decode()
    assert response.status_code == 400 and "只有被请求单位可以答复" in html
    assert AssistanceRequest.objects.get(pk=item.pk).status == AssistanceStatus.OPEN


def test_decline_with_a_reason_in_a_dialog(cast, item):
    client = signed_in(cast.jingzhou.head)
    blank = client.post(decline_url(item), {"reason": ""})
    html = blank.content.decode()
    assert blank.status_code == 400 and 'id="decline-reason-errors"' in html
    assert '<dialog id="dialog-decline" aria-labelledby="dialog-decline-title" open>' in html  # opened again
    response = client.post(decline_url(item), {"reason": "该企业不在本局辖区，请联系属地市场监管部门。"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == AssistanceStatus.DECLINED and "不在本局辖区" in item.answer
    html = client.get(page_url(item)).content.decode()
    assert "已拒绝" in html and "不在本局辖区" in html and 'id="dialog-decline"' not in html
    # Once declined it cannot be answered: the refusal is said, nothing changes.
    again = client.post(answer_url(item), {"answer": "补充答复"})
    assert again.status_code == 400 and "已答复或已拒绝" in again.content.decode()


def test_the_page_costs_the_same_queries_with_1_and_10_files(cast, item):
    from casehub.services import assistance

    assistance.answer(actor=cast.jingzhou.officer, item_id=item.pk, text="属实",
                      uploads=[SimpleUploadedFile("a.pdf", PDF)])
    client = signed_in(cast.yichang.officer)
    client.get(page_url(item))
    one, _ = queries_for(client, page_url(item))
    from casehub.services import evidence
    for n in range(9):
        item.files.add(evidence.upload(actor=cast.yichang.officer, case=cast.case.pk,
                                       uploaded=SimpleUploadedFile(f"{n}.pdf", PDF)))
    ten, response = queries_for(client, page_url(item))
    assert one == ten and response.content.decode().count('id="answer-file-') == 10


# --- asking from the case page --------------------------------------------------


def test_the_cooperation_tab_offers_asking_to_the_handlers(cast):
    tab = reverse("web:case-cooperation", args=[cast.case.pk])
    assert f'href="{ask_url(cast.case)}"' in signed_in(cast.yichang.officer).get(tab).content.decode()


def test_ask_another_city_from_the_case_page(cast):
    client = signed_in(cast.yichang.officer)
    form = client.get(ask_url(cast.case)).content.decode()
    # Every agency of the cluster, grouped by city, the case's own city first; never the owner itself.
    assert '<optgroup label="宜昌市">' in form and '<optgroup label="荆州市">' in form
    assert form.index('<optgroup label="宜昌市">') < form.index('<optgroup label="荆州市">')
    assert f'value="{cast.jingzhou.agency.pk}"' in form and f'value="{cast.yichang.agency.pk}"' not in form
    due = timezone.localdate() + timedelta(days=7)
    response = client.post(ask_url(cast.case), {"to_agency": cast.jingzhou.agency.pk, "subject": "核查供货商",
                                                "details": "请核查出货记录", "due_on": due.isoformat()})
    item = AssistanceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:assistance-request", args=[item.pk])
    assert (item.to_agency, item.due_on, item.requested_by) == (cast.jingzhou.agency, due, cast.yichang.officer)
    assert AuditEntry.objects.filter(action="assistance.ask", result="allowed").exists()


def test_a_past_due_date_is_refused_at_its_field(cast):
    response = signed_in(cast.yichang.officer).post(ask_url(cast.case), {
        "to_agency": cast.jingzhou.agency.pk, "subject": "核查", "details": "请核查",
        "due_on": timezone.localdate().isoformat()})
    html = response.content.decode()
    assert response.status_code == 400
    assert "答复期限必须晚于今天" in html.split('id="ask-due_on-errors"')[1].split("</ul>")[0]
    assert AssistanceRequest.objects.count() == 0


def test_bad_input_is_said_at_the_fields(cast):
    response = signed_in(cast.yichang.officer).post(ask_url(cast.case), {
        "to_agency": "99999", "subject": "", "details": "x", "due_on": "2026-13-40"})
    html = response.content.decode()
    assert response.status_code == 400
    for name in ("to_agency", "subject", "due_on"):
        assert f'id="ask-{name}-errors"' in html
    assert AssistanceRequest.objects.count() == 0


def test_only_the_owners_handlers_may_ask(cast):
    from tests.web.case_tabs import auditor_of

    auditor = auditor_of(cast.yichang)
    html = signed_in(auditor).get(reverse("web:case-cooperation", args=[cast.case.pk])).content.decode()
    assert ask_url(cast.case) not in html
    response = signed_in(auditor).post(ask_url(cast.case), {
        "to_agency": cast.jingzhou.agency.pk, "subject": "核查", "details": "请核查",
        "due_on": (timezone.localdate() + timedelta(days=3)).isoformat()})
    assert response.status_code == 400 and "只有承办单位的办案人员可以发起协查" in response.content.decode()
    assert AssistanceRequest.objects.count() == 0


def test_an_outsider_cannot_ask_on_anothers_case(cast):
    assert_hidden_and_audited(cast.jingmen.officer, ask_url(cast.case), "case.read")
    assert_hidden_and_audited(cast.jingmen.officer, ask_url(cast.case), "case.ask_assistance", method="post",
                              to_agency=cast.jingzhou.agency.pk, subject="x", details="x", due_on="2030-01-01")
