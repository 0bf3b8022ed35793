"""/supervision/: the procuratorate's desk — the transfers it supervises,
the requests for supervision waiting for an opinion, its opinions awaiting
the police's reply, each with its deadline and overdue flag. Only for the
procuratorate's supervisors; the rows of another procuratorate are not
there; the queries stay constant."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency
from agencies.roles import Role
from casehub.models import SupervisionOpinion, Transfer
from casehub.services import transfers as service
from tests.factories import member
from tests.transfers.helpers import Cast, send_transfer_to_police, step

from .helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db
URL = reverse("web:supervision")


@pytest.fixture
def cast():
    return Cast()


def refused_and_requested(api, cast):
    case_id, tid = send_transfer_to_police(api, cast)
    assert step(api, cast.police_liaison, tid, "refuse", reason="不构成犯罪").status_code == 200
    service.request_supervision(actor=cast.head, transfer_id=tid, reason="请检察院监督公安机关立案")
    return case_id, tid


def test_only_supervisors_open_it(api, cast):
    refused_and_requested(api, cast)
    for user in (cast.officer, cast.police_liaison, cast.outsider):
        assert signed_in(user).get(URL).status_code == 404
    assert signed_in(cast.procurator).get(URL).status_code == 200


def test_a_request_waits_until_an_opinion_answers_it(api, cast):
    _case_id, tid = refused_and_requested(api, cast)
    client = signed_in(cast.procurator)
    html = client.get(URL).content.decode()
    assert f'id="request-{tid}"' in html and "请检察院监督公安机关立案" in html
    assert f'href="{reverse("web:transfer", args=[tid])}#supervision"' in html
    assert f'id="transfer-{tid}"' in html  # and it is under supervision, with its step's deadline
    opinion = service.issue_opinion(actor=cast.procurator, transfer_id=tid, kind="explain_refusal",
                                    opinion="请说明不立案理由")
    html = client.get(URL).content.decode()
    assert f'id="request-{tid}"' not in html
    assert f'id="awaiting-{opinion.pk}"' in html and "宜昌市公安局" in html and "chip chip-" in html
    service.reply_to_opinion(actor=cast.police_liaison, transfer_id=tid, opinion_id=opinion.pk, response="已说明")
    assert f'id="awaiting-{opinion.pk}"' not in client.get(URL).content.decode()


def test_an_opinion_past_its_due_date_is_flagged(api, cast):
    _case_id, tid = refused_and_requested(api, cast)
    late = SupervisionOpinion.objects.create(transfer_id=tid, procuratorate=cast.procuratorate, kind="explain_refusal",
                                             opinion="请说明", issued_by=cast.procurator,
                                             due_on=timezone.localdate() - timedelta(days=2))
    html = signed_in(cast.procurator).get(URL).content.decode()
    assert f'<tr id="awaiting-{late.pk}" class="overdue"' in html and "chip chip-overdue" in html


def test_another_procuratorate_sees_nothing_of_it(api, cast):
    _case_id, tid = refused_and_requested(api, cast)
    service.issue_opinion(actor=cast.procurator, transfer_id=tid, kind="explain_refusal", opinion="请说明")
    other = member(Agency.objects.get(code="421000-JCY"), Role.SUPERVISOR, username="jingzhou-procurator")
    html = signed_in(other).get(URL).content.decode()
    assert f'id="request-{tid}"' not in html and '<tr id="awaiting-' not in html and f'id="transfer-{tid}"' not in html
    assert signed_in(other).get(reverse("web:transfer", args=[tid])).status_code == 404


def test_constant_queries(api, cast):
    case_id, tid = refused_and_requested(api, cast)
    made = []

    def grow(n):
        now = timezone.now()
        while len(made) < n - 1:
            t = Transfer.objects.create(case_id=case_id, kind="suspected_crime", from_agency=cast.market,
                                        to_agency=cast.police, supervising_agency=cast.procuratorate, status="refused",
                                        reason="r", proposed_by=cast.officer, sent_at=now, due_step="reconsider_request",
                                        due_at=now + timedelta(days=2))
            SupervisionOpinion.objects.create(transfer=t, procuratorate=cast.procuratorate, kind="explain_refusal",
                                              opinion="请说明", issued_by=cast.procurator,
                                              due_on=timezone.localdate() + timedelta(days=5))
            made.append(t)

    assert_constant_queries(signed_in(cast.procurator), URL, grow)


def test_an_accepted_transfer_stays_under_way_until_handed_over(api, cast):
    _case_id, tid = send_transfer_to_police(api, cast)
    assert step(api, cast.police_liaison, tid, "accept", receiver_case_number="宜公(经)立字〔2026〕52号").status_code == 200
    client = signed_in(cast.procurator)
    html = client.get(URL).content.decode()
    under_way = html.split('id="supervised-transfers"')[1]
    assert f'id="transfer-{tid}"' in under_way
    row = under_way.split(f'id="transfer-{tid}"')[1].split("</tr>")[0]
    assert "移交涉案物品" in row and "chip chip-" in row
    # Late: flagged as any step.
    Transfer.objects.filter(pk=tid).update(due_at=timezone.now() - timedelta(days=1))
    html = client.get(URL).content.decode()
    assert f'<tr id="transfer-{tid}" class="overdue"' in html
    service.hand_over(actor=cast.officer, transfer_id=tid, note="涉案白酒1200瓶及案卷已移交")
    html = client.get(URL).content.decode()
    assert f'id="transfer-{tid}"' not in html.split('id="supervised-transfers"')[1]
    # Concluded for good: an accepted transfer of another kind (no hand-over) is not under way.
    other = Transfer.objects.create(case_id=_case_id, kind="jurisdiction", from_agency=cast.market,
                                    to_agency=cast.police, supervising_agency=cast.procuratorate, status="accepted",
                                    reason="r", proposed_by=cast.officer)
    assert f'id="transfer-{other.pk}"' not in client.get(URL).content.decode()
