from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casehub.models import AssistanceRequest, EvidenceFile
from tests.files.samples import EXE, PDF

from .helpers import CASES, as_, open_filed_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
URL = "/api/v1/assistance/"


def ask(api, cast, case_id, **extra):
    payload = {"to_agency": cast.jingzhou.pk, "subject": "核查荆州某公司的进货渠道",
               "details": "请核实该公司2026年向宜昌供货的数量与票据。",
               "due_on": (timezone.localdate() + timedelta(days=5)).isoformat(), **extra}
    return as_(api, cast.officer).post(f"{CASES}{case_id}/assistance/", payload, format="json")


def test_request_answered_late_is_flagged_and_its_files_join_the_case(api, cast):
    case_id = open_filed_case(api, cast)
    created = ask(api, cast, case_id)
    assert created.status_code == 201, created.content
    item_id = created.json()["id"]
    inbox = as_(api, cast.jingzhou_liaison).get(URL, {"box": "incoming", "status": "open"}).json()["results"]
    assert [i["id"] for i in inbox] == [item_id]
    # The asked agency sees the request, not the case.
    assert as_(api, cast.jingzhou_liaison).get(f"{CASES}{case_id}/").status_code == 404
    # The due date passes.
    AssistanceRequest.objects.filter(pk=item_id).update(due_on=timezone.localdate() - timedelta(days=2))
    late = as_(api, cast.officer).get(URL, {"box": "outgoing", "overdue": "true"}).json()["results"]
    assert [i["id"] for i in late] == [item_id] and late[0]["overdue"] is True
    answered = as_(api, cast.jingzhou_liaison).post(f"{URL}{item_id}/answer/", {
        "answer": "经核查，该公司共向宜昌供货三批，票据附后。",
        "files": [SimpleUploadedFile("进货票据.pdf", PDF)]}, format="multipart")
    assert answered.status_code == 200, answered.content
    body = answered.json()
    assert body["status"] == "answered" and body["answered_late"] is True and len(body["files"]) == 1
    # The answer and its file join the case, for the owner.
    files = as_(api, cast.officer).get(f"{CASES}{case_id}/files/").json()
    assert [f["name"] for f in files] == ["进货票据.pdf"] and files[0]["agency"] == "421000-SCJG"
    kinds = [e["kind"] for e in as_(api, cast.officer).get(f"{CASES}{case_id}/timeline/").json()["results"]]
    assert kinds[-1] == "assistance_answered"
    # Answering twice is refused.
    again = as_(api, cast.jingzhou_liaison).post(f"{URL}{item_id}/answer/", {"answer": "再答"}, format="multipart")
    assert again.status_code == 409


def test_a_bad_file_in_an_answer_stores_nothing(api, cast):
    case_id = open_filed_case(api, cast)
    item_id = ask(api, cast, case_id).json()["id"]
    response = as_(api, cast.jingzhou_liaison).post(f"{URL}{item_id}/answer/", {
        "answer": "见附件", "files": [SimpleUploadedFile("票据.pdf", PDF), SimpleUploadedFile("票据2.pdf", EXE)]},
        format="multipart")
    assert response.status_code == 400 and "files" in response.json()
    assert AssistanceRequest.objects.get(pk=item_id).status == "open"
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize(
    "extra,field",
    [({"due_on": "2000-01-01"}, "due_on"), ({"to_agency": "OWN"}, "to_agency"), ({"subject": ""}, "subject")],
)
def test_bad_requests_are_400(api, cast, extra, field):
    case_id = open_filed_case(api, cast)
    if extra.get("to_agency") == "OWN":
        extra = {"to_agency": cast.market.pk}
    response = ask(api, cast, case_id, **extra)
    assert response.status_code == 400 and field in response.json()
    assert not AssistanceRequest.objects.exists()


def test_only_the_asked_agency_answers_and_others_see_nothing(api, cast):
    case_id = open_filed_case(api, cast)
    item_id = ask(api, cast, case_id).json()["id"]
    assert as_(api, cast.officer).post(f"{URL}{item_id}/answer/", {"answer": "自答"}, format="multipart").status_code == 403
    assert as_(api, cast.outsider).get(f"{URL}{item_id}/").status_code == 404
    assert as_(api, cast.outsider).post(f"{URL}{item_id}/answer/", {"answer": "x"}, format="multipart").status_code == 404
    declined = as_(api, cast.jingzhou_liaison).post(f"{URL}{item_id}/decline/", {"reason": "不属于本局职责"}, format="json")
    assert declined.json()["status"] == "declined"
