"""The examples of issue 11's defects 1 and 11, each as it was reported:
refused acts left no audit entry; a denied attempt on a case was logged
under the prober's agency only, so the owner's auditor never saw it."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casehub import access
from casehub.models import AuditEntry, Case, Party, TimelineEvent
from tests.factories import VALID_CREDIT_CODE, VALID_ID_NUMBER
from tests.files.samples import PDF
from tests.transfers.helpers import ALL_MATERIALS, CASES, TRANSFERS, as_, open_filed_case, step

pytestmark = pytest.mark.django_db
AUDIT = "/api/v1/audit/"


def newest():
    return AuditEntry.objects.order_by("-seq").first()


def log_of(api, auditor, **filters):
    response = as_(api, auditor).get(AUDIT, filters)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_an_officer_extending_her_own_deadline_is_refused_and_audited(api, cast):
    """wangfang (officer) POSTs extend_deadline on her own case: 403, and
    the refusal is in the audit log with its reason, for her agency's auditor."""
    case_id = open_filed_case(api, cast)
    before = AuditEntry.objects.count()
    response = as_(api, cast.officer).post(f"{CASES}{case_id}/transitions/", {
        "action": "extend_deadline", "deadline": "decision", "reason": "案情复杂"}, format="json")
    assert response.status_code == 403
    assert AuditEntry.objects.count() == before + 1
    entry = newest()
    assert (entry.user.username, entry.action, entry.result, entry.object_id) == (
        "wangfang", "case.extend_deadline", "denied", str(case_id))
    assert entry.detail["refusal"] == "forbidden" and entry.detail["reasons"]["detail"] == [response.json()["detail"]]
    seen = log_of(api, cast.auditor, action="case.extend_deadline")
    assert [(e["user"], e["result"]) for e in seen] == [("wangfang", "denied")]


def test_a_refused_transfer_step_is_audited(api, cast):
    case_id = open_filed_case(api, cast)
    tid = as_(api, cast.officer).post(f"{CASES}{case_id}/transfers/", {
        "kind": "suspected_crime", "to_agency": cast.police.pk, "reason": "涉嫌犯罪", "materials": ALL_MATERIALS},
        format="json").json()["id"]
    assert step(api, cast.officer, tid, "approve").status_code == 403
    entry = newest()
    assert (entry.action, entry.result, entry.object_type, entry.object_id, entry.agency_id) == (
        "transfer.approve", "denied", "transfer", str(tid), cast.market.pk)
    # Sending before approval: a 409 with the steps that may be taken, audited too.
    response = step(api, cast.liaison, tid, "send")
    assert response.status_code == 409 and response.json()["allowed_steps"] == []
    entry = newest()
    assert (entry.action, entry.result, entry.detail["refusal"]) == ("transfer.send", "denied", "conflict")
    assert entry.detail["extra"] == {"status": "proposed", "allowed_steps": []}


def test_the_owner_s_auditor_sees_another_agency_probing_its_case(api, cast):
    """Defect 11: the police officer's 404 on market supervision's case is
    in market supervision's log as well as the police's."""
    case_id = open_filed_case(api, cast)
    assert as_(api, cast.police_officer).get(f"{CASES}{case_id}/").status_code == 404
    assert as_(api, cast.police_officer).post(f"{CASES}{case_id}/notes/", {"text": "窥探"},
                                              format="json").status_code == 404
    owners_view = log_of(api, cast.auditor, user="zhouli")
    assert [(e["action"], e["result"], e["agency"], e["owner_agency"]) for e in owners_view] == [
        ("case.add_note", "denied", "420500-GA", "420500-SCJG"), ("case.read", "denied", "420500-GA", "420500-SCJG")]
    assert {e["object_id"] for e in owners_view} == {str(case_id)}
    # The prober's own agency sees them too; an unrelated agency's auditor does not.
    assert len(log_of(api, cast.police_auditor, user="zhouli")) == 2
    assert log_of(api, cast.outsider, user="zhouli") == []  # copyright's head audits copyright


def test_a_malformed_probe_of_another_agency_s_case_is_shown_to_its_owner(api, cast):
    case_id = open_filed_case(api, cast)
    response = as_(api, cast.police_officer).patch(f"{CASES}{case_id}/", {"title": ""}, format="json")
    assert response.status_code == 400
    seen = log_of(api, cast.auditor, user="zhouli")
    assert [(e["action"], e["result"], e["detail"]["refusal"]) for e in seen] == [("case.update", "denied", "invalid")]


def test_a_file_probe_is_shown_to_the_owner_of_the_file_s_case(api, cast):
    case_id = open_filed_case(api, cast)
    file_id = as_(api, cast.officer).post(f"{CASES}{case_id}/files/", {"file": SimpleUploadedFile("a.pdf", PDF)},
                                          format="multipart").json()["id"]
    for path in (f"/api/v1/files/{file_id}/", f"/api/v1/files/{file_id}/download/", f"/api/v1/files/{file_id}/custody/"):
        assert as_(api, cast.police_officer).get(path).status_code == 404
    seen = log_of(api, cast.auditor, user="zhouli")
    assert sorted(e["action"] for e in seen) == ["file.custody", "file.download", "file.retrieve"]
    assert {(e["object_type"], e["object_id"], e["owner_agency"]) for e in seen} == {("file", str(file_id), "420500-SCJG")}


def test_a_case_and_its_parties_are_one_act(api, cast):
    payload = {"title": "某公司销售假冒注册商标商品案", "ip_type": "trademark", "kind": "administrative_penalty",
               "source": "complaint", "region": "420500", "handlers": ["liqiang"],
               "parties": [{"role": "respondent", "kind": "enterprise", "name": "宜昌某公司", "credit_code": VALID_CREDIT_CODE},
                           {"role": "respondent", "kind": "individual", "name": "张三", "id_number": VALID_ID_NUMBER}]}
    bad = {**payload, "parties": [payload["parties"][0], {**payload["parties"][1], "id_number": "110105194912310021"}]}
    before = AuditEntry.objects.count()
    response = as_(api, cast.officer).post(CASES, bad, format="json")
    assert response.status_code == 400
    # Errors per party, as the form lists them; nothing of the first is stored.
    assert response.json()["parties"][0] == {} and "id_number" in response.json()["parties"][1]
    assert not Case.objects.exists() and not Party.objects.exists() and not TimelineEvent.objects.exists()
    assert AuditEntry.objects.count() == before + 1 and newest().result == "denied"

    created = as_(api, cast.officer).post(CASES, payload, format="json")
    assert created.status_code == 201, created.content
    entry = newest()
    assert AuditEntry.objects.count() == before + 2
    assert (entry.action, entry.result, entry.object_id) == ("case.create", "allowed", str(created.json()["id"]))
    parties = list(Party.objects.order_by("pk").values_list("pk", flat=True))
    assert [(s["action"], s["party_id"]) for s in entry.detail["steps"]] == [("case.add_party", p) for p in parties]


def test_reads_of_parties_record_whose_personal_data_was_shown(api, cast):
    case_id = open_filed_case(api, cast)
    person = as_(api, cast.officer).post(f"{CASES}{case_id}/parties/", {
        "role": "respondent", "kind": "individual", "name": "张三", "id_number": VALID_ID_NUMBER}, format="json")
    informant = as_(api, cast.officer).post(f"{CASES}{case_id}/parties/", {
        "role": "informant", "kind": "individual", "name": "李举报", "id_number": VALID_ID_NUMBER}, format="json")
    person, informant = person.json()["id"], informant.json()["id"]

    def shown(user, path):
        assert as_(api, user).get(path).status_code == 200
        entry = newest()
        return entry.action, entry.detail["id_numbers_shown"], entry.detail["informants_shown"]

    parties, detail = f"{CASES}{case_id}/parties/", f"{CASES}{case_id}/"
    # An officer of the owner: the full ID of the respondent, not the informant.
    assert shown(cast.officer, parties) == ("case.read_parties", [person], [])
    # The owner's head: the informant too.
    assert shown(cast.head, detail) == ("case.read", [person, informant], [informant])
    # An agency the case is shared with: masks only.
    access.grant_case(Case.objects.get(pk=case_id), cast.copyright)
    assert shown(cast.outsider, parties) == ("case.read_parties", [], [])


def test_a_receiver_s_download_of_a_transferred_file_is_audited_and_in_custody(api, cast):
    case_id = open_filed_case(api, cast)
    file_id = as_(api, cast.officer).post(f"{CASES}{case_id}/files/", {"file": SimpleUploadedFile("鉴定.pdf", PDF)},
                                          format="multipart").json()["id"]
    materials = ALL_MATERIALS[:3] + [{"kind": "appraisal_report", "title": "鉴定意见", "file": file_id}]
    tid = as_(api, cast.officer).post(f"{CASES}{case_id}/transfers/", {
        "kind": "suspected_crime", "to_agency": cast.police.pk, "reason": "涉嫌犯罪", "materials": materials},
        format="json").json()["id"]
    step(api, cast.head, tid, "approve")
    step(api, cast.liaison, tid, "send")
    assert as_(api, cast.police_liaison).get(f"/api/v1/files/{file_id}/download/").status_code == 200
    entry = newest()
    assert (entry.action, entry.agency_id, entry.owner_agency_id, entry.detail["case_id"]) == (
        "file.download", cast.police.pk, cast.market.pk, case_id)
    assert [e["action"] for e in log_of(api, cast.auditor, action="file.download")] == ["file.download"]
    assert as_(api, cast.officer).get(f"{TRANSFERS}{tid}/").json()["materials"][3]["file"] == file_id


def test_the_denied_entry_keeps_the_field_errors(api, cast):
    case_id = open_filed_case(api, cast)
    response = as_(api, cast.officer).post(f"{CASES}{case_id}/transitions/", {
        "action": "stop_clock", "reason": "喝茶"}, format="json")
    assert response.status_code == 400
    entry = newest()
    assert entry.detail == {"refusal": "invalid", "reasons": response.json()}


def test_the_services_refuse_and_audit_without_the_api(cast):
    """The web UI's forms will call the services directly: the rules and the
    audit are theirs, not the API's."""
    from casehub.rules.refusal import Kind, Refused
    from casehub.services import cases as service

    data = {"title": "某案", "ip_type": "trademark", "kind": "administrative_penalty", "source": "complaint",
            "region": cast.market.region, "lead_received_on": timezone.localdate() + timedelta(days=1)}
    with pytest.raises(Refused) as refused:
        service.create_case(actor=cast.officer, data=data, handlers=["nobody", cast.police_officer])
    assert refused.value.kind == Kind.INVALID
    assert set(refused.value.errors) == {"lead_received_on", "handlers"}
    assert "nobody" in refused.value.errors["handlers"][0] and "zhouli" in refused.value.errors["handlers"][0]
    assert not Case.objects.exists() and newest().result == "denied"

    case = service.create_case(actor=cast.officer, data={**data, "lead_received_on": timezone.localdate()},
                               handlers=["liqiang"])
    access.grant_case(case, cast.copyright)
    with pytest.raises(Refused) as refused:
        service.update_case(actor=cast.outsider, case_id=case.pk, expected_version=case.version,
                            changes={"title": "改"})
    assert refused.value.kind == Kind.FORBIDDEN
    assert (newest().action, newest().result, newest().owner_agency_id) == ("case.update", "denied", cast.market.pk)
