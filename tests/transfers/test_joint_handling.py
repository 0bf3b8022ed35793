import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casehub.models import CaseParticipant, Case
from tests.files.samples import PDF

from .helpers import CASES, as_, open_filed_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_joint_handling_with_police_and_copyright(api, cast):
    case_id = open_filed_case(api, cast)
    url = f"{CASES}{case_id}/participants/"
    assert as_(api, cast.officer).post(url, {"agency": cast.police.pk, "role": "co_handler"}, format="json").status_code == 403
    police = as_(api, cast.head).post(url, {"agency": cast.police.pk, "role": "co_handler"}, format="json")
    assert police.status_code == 201, police.content
    as_(api, cast.head).post(url, {"agency": cast.copyright.pk, "role": "supporter"}, format="json")
    assert {p["agency_detail"]["code"] for p in as_(api, cast.head).get(url).json()} == {"420500-GA", "420500-BQ"}
    # A co-handling police officer sees the case and adds a file; the supporter reads and notes.
    assert as_(api, cast.police_officer).get(f"{CASES}{case_id}/").status_code == 200
    uploaded = as_(api, cast.police_officer).post(f"{CASES}{case_id}/files/",
                                                  {"file": SimpleUploadedFile("现场勘验笔录.pdf", PDF)}, format="multipart")
    assert uploaded.status_code == 201 and uploaded.json()["agency"] == "420500-GA"
    assert as_(api, cast.outsider).post(f"{CASES}{case_id}/files/", {"file": SimpleUploadedFile("x.pdf", PDF)},
                                        format="multipart").status_code == 403
    assert as_(api, cast.outsider).post(f"{CASES}{case_id}/notes/", {"text": "版权局意见"}, format="json").status_code == 201
    # Only the lead agency moves the case through its workflow.
    assert as_(api, cast.police_officer).post(f"{CASES}{case_id}/transitions/", {"action": "start_investigation"},
                                              format="json").status_code == 403
    # Ending the participation ends the access.
    pid = police.json()["id"]
    assert as_(api, cast.head).delete(f"{url}{pid}/").status_code == 204
    assert as_(api, cast.police_officer).get(f"{CASES}{case_id}/").status_code == 404
    # A case itself cannot be deleted by anyone.
    assert as_(api, cast.head).delete(f"{CASES}{case_id}/").status_code == 405
    assert Case.objects.filter(pk=case_id).exists()


def test_bad_participation_is_400(api, cast):
    case_id = open_filed_case(api, cast)
    url = f"{CASES}{case_id}/participants/"
    for payload, field in [({"agency": cast.market.pk, "role": "co_handler"}, "agency"),
                           ({"agency": cast.police.pk, "role": "boss"}, "role")]:
        response = as_(api, cast.head).post(url, payload, format="json")
        assert response.status_code == 400 and field in response.json()
    as_(api, cast.head).post(url, {"agency": cast.police.pk, "role": "co_handler"}, format="json")
    assert as_(api, cast.head).post(url, {"agency": cast.police.pk, "role": "supporter"}, format="json").status_code == 400
    assert CaseParticipant.objects.count() == 1


def test_campaign_summary_counts_only_visible_cases(api, cast):
    mine = open_filed_case(api, cast)
    Case.objects.filter(pk=mine).update(campaign="铁拳")
    as_(api, cast.outsider)  # noqa: B018
    summary = {c["campaign"]: c for c in as_(api, cast.officer).get("/api/v1/campaigns/").json()}
    assert summary["铁拳"]["cases"] == 1 and summary["铁拳"]["by_status"] == {"filed": 1}
    assert {c["campaign"]: c["cases"] for c in as_(api, cast.outsider).get("/api/v1/campaigns/").json()}["铁拳"] == 0
