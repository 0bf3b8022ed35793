"""Issue 4 scenarios, through the API only, on the real agency structure."""

import pytest
from django.utils import timezone

from agencies.roles import Role
from casehub.models import Case, Transfer
from tests.factories import member

from .helpers import ALL_MATERIALS, CASES, TRANSFERS, as_, open_filed_case, send_transfer_to_police, step

pytestmark = pytest.mark.django_db


def test_suspected_crime_from_market_supervision_to_police(api, cast):
    case_id = open_filed_case(api, cast)
    # Reasonable suspicion of crime: the officer proposes, with three of the four materials.
    proposed = as_(api, cast.officer).post(f"{CASES}{case_id}/transfers/", {
        "kind": "suspected_crime", "to_agency": cast.police.pk,
        "reason": "涉案货值三十八万元，涉嫌销售假冒注册商标的商品罪。", "materials": ALL_MATERIALS[:3],
    }, format="json")
    assert proposed.status_code == 201, proposed.content
    transfer = proposed.json()
    assert transfer["status"] == "proposed" and transfer["missing_materials"] == ["appraisal_report"]
    assert transfer["supervising_agency"]["code"] == "420500-JCY"
    assert transfer["due_step"] == "approve"
    tid = transfer["id"]

    # Not yet sent: the police and the procuratorate do not see it.
    assert as_(api, cast.police_liaison).get(f"{TRANSFERS}{tid}/").status_code == 404
    assert as_(api, cast.procurator).get(f"{CASES}{case_id}/").status_code == 404

    # An officer cannot approve; the head does.
    assert step(api, cast.officer, tid, "approve").status_code == 403
    approved = step(api, cast.head, tid, "approve")
    assert approved.status_code == 200 and approved.json()["due_step"] == "send"

    # Sending without the appraisal report is refused and changes nothing.
    refused = step(api, cast.liaison, tid, "send")
    assert refused.status_code == 400 and "materials" in refused.json()
    assert Transfer.objects.get(pk=tid).status == "approved"
    added = as_(api, cast.officer).post(f"{TRANSFERS}{tid}/materials/", ALL_MATERIALS[3], format="json")
    assert added.status_code == 201
    sent = step(api, cast.liaison, tid, "send")
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    assert sent.json()["due_step"] == "decide"

    # The procuratorate is copied: it sees the case, the transfer and its inbox.
    supervising = as_(api, cast.procurator).get(TRANSFERS, {"box": "supervising"}).json()["results"]
    assert [t["id"] for t in supervising] == [tid]
    assert as_(api, cast.procurator).get(f"{CASES}{case_id}/").status_code == 200

    # The police liaison's inbox shows it with its deadline.
    inbox = as_(api, cast.police_liaison).get(TRANSFERS, {"box": "incoming", "open": "true"}).json()["results"]
    assert [t["id"] for t in inbox] == [tid] and inbox[0]["due_at"] and inbox[0]["overdue"] is False

    # Police accept by opening a criminal case; without its number it is a 400.
    assert step(api, cast.police_liaison, tid, "accept").status_code == 400
    accepted = step(api, cast.police_liaison, tid, "accept", receiver_case_number="宜公(经)立字〔2026〕31号")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    # Accepting twice is one acceptance: the second is refused, nothing changes.
    again = step(api, cast.police_liaison, tid, "accept", receiver_case_number="另一个号")
    assert again.status_code == 409
    assert Transfer.objects.get(pk=tid).receiver_case_number == "宜公(经)立字〔2026〕31号"

    # Both agencies see one shared timeline; the sender's edits stop, the police act.
    for user in (cast.officer, cast.police_officer):
        kinds = [e["kind"] for e in as_(api, user).get(f"{CASES}{case_id}/timeline/").json()["results"]]
        assert kinds[-4:] == ["transfer_approved", "transfer_material_added", "transfer_sent", "transfer_accepted"]
    version = Case.objects.get(pk=case_id).version
    assert as_(api, cast.officer).patch(f"{CASES}{case_id}/", {"title": "改", "version": version},
                                        format="json").status_code == 403
    assert as_(api, cast.police_officer).patch(f"{CASES}{case_id}/", {"facts": "公安补充侦查", "version": version},
                                               format="json").status_code == 200

    # An unrelated agency sees nothing.
    outsider = as_(api, cast.outsider)
    assert outsider.get(f"{CASES}{case_id}/").status_code == 404
    assert outsider.get(f"{TRANSFERS}{tid}/").status_code == 404
    assert outsider.get(TRANSFERS).json()["results"] == []
    assert step(api, cast.outsider, tid, "accept", receiver_case_number="x").status_code == 404


def test_return_for_materials_then_resubmit(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    returned = step(api, cast.police_liaison, tid, "return", reason="请补充鉴定意见原件")
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    as_(api, cast.officer).post(f"{TRANSFERS}{tid}/materials/", {"kind": "other", "title": "鉴定意见原件"}, format="json")
    resubmitted = step(api, cast.liaison, tid, "resubmit")
    assert resubmitted.json()["status"] == "sent"


def test_refusal_then_reconsideration(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    assert step(api, cast.police_liaison, tid, "refuse").status_code == 400  # a refusal needs its reasons
    refused = step(api, cast.police_liaison, tid, "refuse", reason="涉案金额未达立案追诉标准")
    assert refused.json()["status"] == "refused" and refused.json()["due_step"] == "reconsider_request"
    reconsider = step(api, cast.head, tid, "request_reconsideration", reason="货值已超过十五万元，达到追诉标准")
    assert reconsider.json()["status"] == "reconsideration"
    accepted = step(api, cast.police_liaison, tid, "accept", receiver_case_number="宜公(经)立字〔2026〕40号")
    assert accepted.json()["status"] == "accepted"


def test_cross_region_transfer_to_jingzhou(api, cast):
    case_id = open_filed_case(api, cast)
    proposed = as_(api, cast.officer).post(f"{CASES}{case_id}/transfers/", {
        "kind": "cross_region", "to_agency": cast.jingzhou.pk, "reason": "当事人住所地在荆州，由荆州市市场监管局管辖更为便利",
        "materials": [{"kind": "transfer_letter", "title": "案件移送函"}, {"kind": "case_file", "title": "案卷材料"}],
    }, format="json")
    assert proposed.status_code == 201, proposed.content
    tid = proposed.json()["id"]
    step(api, cast.head, tid, "approve")
    step(api, cast.liaison, tid, "send")
    assert step(api, cast.jingzhou_liaison, tid, "accept").json()["status"] == "accepted"
    case = Case.objects.get(pk=case_id)
    assert case.owning_agency == cast.jingzhou
    assert as_(api, cast.officer).get(f"{CASES}{case_id}/").status_code == 200  # the sender still reads it


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"kind": "suspected_crime", "to_agency": "SELF", "reason": "r"}, "to_agency"),
        ({"kind": "suspected_crime", "to_agency": "COPYRIGHT", "reason": "r"}, "to_agency"),
        ({"kind": "cross_region", "to_agency": "POLICE", "reason": "r"}, "to_agency"),
        ({"kind": "teleport", "to_agency": "POLICE", "reason": "r"}, "kind"),
        ({"kind": "suspected_crime", "to_agency": "POLICE", "reason": ""}, "reason"),
        ({"kind": "suspected_crime", "to_agency": "POLICE", "reason": "r",
          "materials": [{"kind": "selfie", "title": "x"}]}, "materials"),
    ],
)
def test_bad_proposals_are_400_and_store_nothing(api, cast, payload, field):
    case_id = open_filed_case(api, cast)
    ids = {"SELF": cast.market.pk, "COPYRIGHT": cast.copyright.pk, "POLICE": cast.police.pk}
    payload = {**payload, "to_agency": ids[payload["to_agency"]]}
    response = as_(api, cast.officer).post(f"{CASES}{case_id}/transfers/", payload, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert not Transfer.objects.exists()


def test_one_open_transfer_per_case(api, cast):
    case_id = open_filed_case(api, cast)
    payload = {"kind": "suspected_crime", "to_agency": cast.police.pk, "reason": "r", "materials": ALL_MATERIALS}
    assert as_(api, cast.officer).post(f"{CASES}{case_id}/transfers/", payload, format="json").status_code == 201
    assert as_(api, cast.officer).post(f"{CASES}{case_id}/transfers/", payload, format="json").status_code == 409
    assert Transfer.objects.count() == 1


def test_overdue_step_is_flagged_in_the_inbox(api, cast):
    case_id = open_filed_case(api, cast)
    tid = as_(api, cast.officer).post(f"{CASES}{case_id}/transfers/", {
        "kind": "suspected_crime", "to_agency": cast.police.pk, "reason": "r", "materials": ALL_MATERIALS,
    }, format="json").json()["id"]
    Transfer.objects.filter(pk=tid).update(due_at=timezone.now() - timezone.timedelta(hours=1))
    late = as_(api, cast.head).get(TRANSFERS, {"box": "outgoing", "overdue": "true"}).json()["results"]
    assert [t["id"] for t in late] == [tid] and late[0]["overdue"] is True


def test_files_travel_with_the_transfer_and_their_custody_shows_it(api, cast, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.files.samples import PDF

    settings.MEDIA_ROOT = tmp_path
    case_id = open_filed_case(api, cast)
    uploaded = as_(api, cast.officer).post(f"{CASES}{case_id}/files/",
                                           {"file": SimpleUploadedFile("鉴定意见.pdf", PDF)}, format="multipart")
    file_id = uploaded.json()["id"]
    materials = ALL_MATERIALS[:3] + [{"kind": "appraisal_report", "title": "鉴定意见", "file": file_id}]
    tid = as_(api, cast.officer).post(f"{CASES}{case_id}/transfers/", {
        "kind": "suspected_crime", "to_agency": cast.police.pk, "reason": "涉嫌犯罪", "materials": materials,
    }, format="json").json()["id"]
    # Before sending, the police cannot fetch the file.
    assert as_(api, cast.police_liaison).get(f"/api/v1/files/{file_id}/download/").status_code == 404
    step(api, cast.head, tid, "approve")
    step(api, cast.liaison, tid, "send")
    assert as_(api, cast.police_liaison).get(f"/api/v1/files/{file_id}/download/").status_code == 200
    step(api, cast.police_liaison, tid, "accept", receiver_case_number="宜公(经)立字〔2026〕52号")
    assert as_(api, cast.officer).get(f"{TRANSFERS}{tid}/").json()["due_step"] == "hand_over"
    handed = as_(api, cast.officer).post(f"{TRANSFERS}{tid}/hand-over/", {"note": "涉案白酒1200瓶及案卷已移交"},
                                         format="json")
    assert handed.status_code == 200 and handed.json()["due_step"] == ""
    again = as_(api, cast.officer).post(f"{TRANSFERS}{tid}/hand-over/", {"note": "再次"}, format="json")
    assert again.status_code == 409
    custody = [c["action"] for c in as_(api, cast.officer).get(f"/api/v1/files/{file_id}/custody/").json()]
    # Shared with the police and the procuratorate, then fetched by the police, then handed over.
    assert custody == ["uploaded", "shared", "shared", "viewed", "handed_over"]
    assert as_(api, cast.outsider).get(f"/api/v1/files/{file_id}/download/").status_code == 404


def test_a_material_file_must_belong_to_the_case(api, cast, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.files.samples import PDF

    settings.MEDIA_ROOT = tmp_path
    first, second = open_filed_case(api, cast), open_filed_case(api, cast)
    file_id = as_(api, cast.officer).post(f"{CASES}{first}/files/", {"file": SimpleUploadedFile("a.pdf", PDF)},
                                          format="multipart").json()["id"]
    response = as_(api, cast.officer).post(f"{CASES}{second}/transfers/", {
        "kind": "suspected_crime", "to_agency": cast.police.pk, "reason": "r",
        "materials": [{"kind": "appraisal_report", "title": "x", "file": file_id}],
    }, format="json")
    assert response.status_code == 400 and "materials" in response.json()
    assert not Transfer.objects.exists()


def test_reverse_transfer_from_the_procuratorate(api, cast):
    """The procuratorate decides not to prosecute but a penalty is due: it
    sends the case back to market supervision, which has 2 months to reply."""
    procurator_head = member(cast.procuratorate, Role.HEAD, username="jcz")
    procurator_officer = member(cast.procuratorate, Role.OFFICER, username="jcg")
    created = as_(api, procurator_officer).post(CASES, {
        "title": "某公司假冒注册商标案（不起诉后移送行政处罚）", "ip_type": "trademark", "kind": "criminal",
        "source": "judicial_referral", "region": "420500", "handlers": ["jcz"],
    }, format="json")
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    proposed = as_(api, procurator_officer).post(f"{CASES}{case_id}/transfers/", {
        "kind": "reverse", "to_agency": cast.market.pk, "reason": "情节轻微不起诉，建议给予行政处罚",
        "materials": [{"kind": "non_prosecution_decision", "title": "不起诉决定书"},
                      {"kind": "procuratorial_opinion", "title": "检察意见书"}],
    }, format="json")
    assert proposed.status_code == 201, proposed.content
    tid = proposed.json()["id"]
    step(api, procurator_head, tid, "approve")
    sent = step(api, procurator_head, tid, "send")
    assert sent.json()["due_step"] == "decide_reverse"
    assert step(api, cast.liaison, tid, "accept").json()["status"] == "accepted"
    assert Case.objects.get(pk=case_id).owning_agency == cast.market
    # Market supervision cannot send a reverse transfer itself.
    other = open_filed_case(api, cast)
    response = as_(api, cast.officer).post(f"{CASES}{other}/transfers/", {
        "kind": "reverse", "to_agency": cast.copyright.pk, "reason": "r"}, format="json")
    assert response.status_code == 400 and "to_agency" in response.json()


def test_a_transfer_withdrawn_after_it_was_returned_takes_the_case_from_the_receiver(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    assert as_(api, cast.police_liaison).get(f"{CASES}{case_id}/").status_code == 200
    step(api, cast.police_liaison, tid, "return", reason="请补充鉴定意见原件")
    withdrawn = step(api, cast.head, tid, "withdraw", reason="经复核不再移送")
    assert withdrawn.json()["status"] == "withdrawn"
    assert as_(api, cast.police_liaison).get(f"{CASES}{case_id}/").status_code == 404
    assert case_id not in [c["id"] for c in as_(api, cast.police_liaison).get(CASES).json()["results"]]
    # The procuratorate, copied when it was sent, still supervises what became of it.
    assert as_(api, cast.procurator).get(f"{CASES}{case_id}/").status_code == 200


def test_the_former_owner_reads_on_after_a_joint_handling_it_joined_ends(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    step(api, cast.police_liaison, tid, "accept", receiver_case_number="宜公(经)立字〔2026〕41号")
    police_head = member(cast.police, Role.HEAD, username="gaofeng")
    url = f"{CASES}{case_id}/participants/"
    joined = as_(api, police_head).post(url, {"agency": cast.market.pk, "role": "supporter"}, format="json")
    assert joined.status_code == 201, joined.content
    assert as_(api, police_head).delete(f"{url}{joined.json()['id']}/").status_code == 204
    # The market supervision bureau sent the case: it keeps reading it.
    assert as_(api, cast.officer).get(f"{CASES}{case_id}/").status_code == 200
