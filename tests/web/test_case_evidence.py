"""The evidence tab: the files with their hash, the audited download, the
chain of custody, and the upload form (type and size refused at the field)."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casehub.models import CustodyEvent, EvidenceFile
from casehub.services import evidence
from tests.audit.trail import Trail
from tests.factories import make_case
from tests.files.samples import EXE, PDF, PNG

from .case_tabs import assert_hidden_and_audited, assert_sign_in_redirect, sharing_office
from .helpers import assert_constant_queries, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def case(office):
    return make_case(office)


def stored(office, case, name="现场检查笔录.pdf", content=PDF, description="现场检查笔录"):
    return evidence.upload(actor=office.officer, case=case.pk, uploaded=SimpleUploadedFile(name, content),
                           description=description)


def evidence_url(case):
    return reverse("web:case-evidence", args=[case.pk])


def download_url(case, file):
    return reverse("web:case-evidence-download", args=[case.pk, file.pk])


def custody_url(case, file):
    return reverse("web:case-evidence-custody", args=[case.pk, file.pk])


def test_anonymous_is_sent_to_sign_in(case, office):
    file = stored(office, case)
    for url in (evidence_url(case), download_url(case, file), custody_url(case, file)):
        assert_sign_in_redirect(url)


def test_an_outsider_gets_404_on_the_list_the_download_the_custody_and_the_upload(case, office, outsider, media):
    file = stored(office, case)
    assert_hidden_and_audited(outsider, evidence_url(case), "case.files")
    entry = assert_hidden_and_audited(outsider, download_url(case, file), "file.download")
    assert entry.owner_agency_id == office.agency.pk
    assert_hidden_and_audited(outsider, custody_url(case, file), "file.custody")
    assert_hidden_and_audited(outsider, evidence_url(case), "case.upload", method="post",
                              file=SimpleUploadedFile("x.pdf", PDF))
    assert list(CustodyEvent.objects.values_list("action", flat=True)) == ["uploaded"]  # never viewed
    assert EvidenceFile.objects.count() == 1


def test_the_list_shows_each_file_with_its_full_hash(case, office):
    file = stored(office, case)
    response = signed_in(office.reviewer).get(evidence_url(case))
    html = response.content.decode()
    assert response.status_code == 200
    assert "现场检查笔录.pdf" in html and file.sha256 in html and len(file.sha256) == 64
    assert office.officer.display_name in html and office.agency.name in html and ">PDF<" in html
    assert download_url(case, file) in html and custody_url(case, file) in html


def test_the_upload_form_is_for_those_who_may_contribute(case, office):
    handler = signed_in(office.officer2).get(evidence_url(case)).content.decode()
    assert 'id="upload-form"' in handler and "casehub/upload.js" in handler and "<progress" in handler
    police = sharing_office(case)
    reader = signed_in(police.officer).get(evidence_url(case))
    assert reader.status_code == 200 and 'id="upload-form"' not in reader.content.decode()


def test_a_pdf_is_uploaded_and_comes_back_byte_for_byte(case, office):
    client = signed_in(office.officer)
    response = client.post(evidence_url(case), {"file": SimpleUploadedFile("鉴定意见.pdf", PDF),
                                                "description": "商标权利人鉴定意见"})
    file = EvidenceFile.objects.get()
    assert response.status_code == 302 and response["Location"] == evidence_url(case) + f"#file-{file.pk}"
    assert (file.name, file.kind, file.description, file.sha256) == (
        "鉴定意见.pdf", "pdf", "商标权利人鉴定意见", hashlib.sha256(PDF).hexdigest())
    trail = Trail()
    download = client.get(download_url(case, file))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == "attachment; filename*=UTF-8''%E9%89%B4%E5%AE%9A%E6%84%8F%E8%A7%81.pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert [(e.action, e.result) for e in trail.entries()] == [("file.download", "allowed")]
    assert list(file.custody.values_list("action", flat=True)) == ["uploaded", "viewed"]


def test_upload_by_script_answers_the_tab_body(case, office):
    response = signed_in(office.officer).post(evidence_url(case), {"file": SimpleUploadedFile("照片.png", PNG)},
                                              HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="evidence-body">')
    assert "照片.png" in body and 'class="just-added"' in body and "<html" not in body


def test_a_wrong_type_is_refused_at_the_file_field(case, office, media):
    response = signed_in(office.officer).post(evidence_url(case), {
        "file": SimpleUploadedFile("报告.pdf", EXE), "description": "伪装的程序"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="evidence-body">')
    assert '<ul class="errorlist" id="upload-file-errors"><li>不接受此类文件' in body
    assert "伪装的程序" in body  # what was typed is kept
    assert not EvidenceFile.objects.exists() and not [p for p in media.rglob("*") if p.is_file()]


def test_a_file_too_large_is_refused_at_the_file_field(case, office, settings, media):
    settings.CASEHUB_MAX_UPLOAD_BYTES = 2**20
    big = PDF + b"0" * 2**20
    response = signed_in(office.officer).post(evidence_url(case), {"file": SimpleUploadedFile("大.pdf", big)})
    body = response.content.decode()
    assert response.status_code == 400 and '<ul class="errorlist" id="upload-file-errors"><li>文件超过 1 MB 的上限。' in body
    assert 'aria-invalid="true"' in body and 'class="form-summary"' in body
    assert not EvidenceFile.objects.exists() and not [p for p in media.rglob("*") if p.is_file()]


def test_no_file_is_a_field_error_audited(case, office):
    client = signed_in(office.officer)
    trail = Trail()
    response = client.post(evidence_url(case), {"description": "忘了选文件"})
    assert response.status_code == 400 and 'id="upload-file-errors"' in response.content.decode()
    assert trail.denied("file.upload").detail["refusal"] == "invalid"


def test_a_reader_who_may_not_contribute_is_told_why(case):
    police = sharing_office(case)
    response = signed_in(police.officer).post(evidence_url(case), {"file": SimpleUploadedFile("x.pdf", PDF)})
    assert response.status_code == 400 and "form-summary" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_the_chain_of_custody_is_a_fragment_and_a_page(case, office):
    file = stored(office, case)
    client = signed_in(office.head)
    client.get(download_url(case, file))
    fragment = client.get(custody_url(case, file), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and fragment.count("<li>") == 2
    assert "上传" in fragment and "下载" in fragment and office.head.display_name in fragment
    page = client.get(custody_url(case, file))
    assert page.status_code == 200 and "<html" in page.content.decode()


def test_a_file_of_another_case_is_not_found_under_this_one(case, office):
    other = make_case(office, title="另一案件")
    file = stored(office, other)
    client = signed_in(office.officer)
    assert client.get(download_url(case, file)).status_code == 404
    assert client.get(custody_url(case, file)).status_code == 404
    assert client.get(reverse("web:case-evidence-download", args=[case.pk, 999999])).status_code == 404


def test_evidence_costs_the_same_queries_for_1_and_50(case, office):
    def grow(n):
        while EvidenceFile.objects.filter(case=case).count() < n:
            stored(office, case, name=f"照片{EvidenceFile.objects.count()}.png", content=PNG)

    assert_constant_queries(signed_in(office.officer), evidence_url(case), grow)
