from datetime import timedelta

import pytest
from django.utils import timezone

from casehub.models import SupervisionOpinion
from casehub.rules.working_days import WorkingCalendar

from .helpers import ALL_MATERIALS, CASES, TRANSFERS, as_, open_filed_case, send_transfer_to_police, step

pytestmark = pytest.mark.django_db


def refused_transfer(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    step(api, cast.police_liaison, tid, "refuse", reason="不构成犯罪")
    return case_id, tid


def test_procuratorate_asks_police_to_explain_and_a_late_reply_is_flagged(api, cast):
    case_id, tid = refused_transfer(api, cast)
    asked = as_(api, cast.head).post(f"{TRANSFERS}{tid}/request-supervision/", {"reason": "请检察院监督"}, format="json")
    assert asked.status_code == 200
    opinion = as_(api, cast.procurator).post(f"{TRANSFERS}{tid}/opinions/", {
        "kind": "explain_refusal", "opinion": "请公安机关说明不立案理由。"}, format="json")
    assert opinion.status_code == 201, opinion.content
    body = opinion.json()
    # 7 days from today, moved past a holiday if it ends on one.
    assert body["due_on"] == str(WorkingCalendar().add_calendar_days(timezone.localdate(), 7))
    # The police see the opinion on the transfer; the reply comes after the due date.
    seen = as_(api, cast.police_liaison).get(f"{TRANSFERS}{tid}/").json()["opinions"]
    assert [o["kind"] for o in seen] == ["explain_refusal"]
    SupervisionOpinion.objects.filter(pk=body["id"]).update(due_on=timezone.localdate() - timedelta(days=1))
    assert as_(api, cast.police_liaison).get(f"{TRANSFERS}{tid}/").json()["opinions"][0]["overdue"] is True
    reply = as_(api, cast.police_liaison).post(f"{TRANSFERS}{tid}/opinions/{body['id']}/reply/",
                                               {"response": "经审查，涉案金额未达追诉标准。"}, format="json")
    assert reply.status_code == 200 and reply.json()["responded_late"] is True
    again = as_(api, cast.police_liaison).post(f"{TRANSFERS}{tid}/opinions/{body['id']}/reply/",
                                               {"response": "再答"}, format="json")
    assert again.status_code == 409
    kinds = [e["kind"] for e in as_(api, cast.procurator).get(f"{CASES}{case_id}/timeline/").json()["results"]]
    assert kinds[-3:] == ["supervision_requested", "supervision_opinion", "supervision_reply"]


def test_only_the_supervising_procuratorate_issues_and_only_police_reply(api, cast):
    _, tid = refused_transfer(api, cast)
    for user in (cast.officer, cast.police_liaison):
        response = as_(api, user).post(f"{TRANSFERS}{tid}/opinions/", {"kind": "reply_to_opinion", "opinion": "x"},
                                       format="json")
        assert response.status_code == 403
    opinion_id = as_(api, cast.procurator).post(f"{TRANSFERS}{tid}/opinions/", {
        "kind": "open_on_order", "opinion": "通知公安机关立案。"}, format="json").json()["id"]
    assert as_(api, cast.officer).post(f"{TRANSFERS}{tid}/opinions/{opinion_id}/reply/", {"response": "x"},
                                       format="json").status_code == 403
    assert as_(api, cast.outsider).post(f"{TRANSFERS}{tid}/opinions/", {"kind": "reply_to_opinion", "opinion": "x"},
                                        format="json").status_code == 404
    assert SupervisionOpinion.objects.count() == 1


def test_supervision_is_asked_only_after_a_refusal(api, cast):
    case_id = open_filed_case(api, cast)
    tid = as_(api, cast.officer).post(f"{CASES}{case_id}/transfers/", {
        "kind": "suspected_crime", "to_agency": cast.police.pk, "reason": "r", "materials": ALL_MATERIALS,
    }, format="json").json()["id"]
    response = as_(api, cast.head).post(f"{TRANSFERS}{tid}/request-supervision/", {"reason": "r"}, format="json")
    assert response.status_code == 409
