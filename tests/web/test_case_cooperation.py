"""The transfers-and-assistance tab: read-only, each transfer and request
only as the access module lets this user see it."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casehub.models import AssistanceRequest, Case, CaseParticipant, SupervisionOpinion, Transfer
from casehub.services import assistance, participants
from tests.transfers.helpers import Cast, open_filed_case, send_transfer_to_police

from .case_tabs import assert_hidden_and_audited, assert_sign_in_redirect
from .helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return Cast()


def rows(html: str, kind: str) -> int:
    return len(re.findall(rf'<tr id="{kind}-\d+"', html))


def url(case_id):
    return reverse("web:case-cooperation", args=[case_id])


@pytest.fixture
def story(api, cast):
    """A case of market supervision's with a transfer to the police that the
    head rejected (never sent), one sent to the police, an assistance
    request to Jingzhou and the copyright bureau co-handling it."""
    case_id, _sent = send_transfer_to_police(api, cast)
    rejected = Transfer.objects.create(
        case_id=case_id, kind="suspected_crime", from_agency=cast.market, to_agency=cast.police, status="rejected",
        reason="初次报告", proposed_by=cast.officer)
    assistance.ask(actor=cast.officer, case=case_id, to_agency=cast.jingzhou, subject="协查涉案公司注册信息",
                   details="请核实", due_on=timezone.localdate() + timedelta(days=10))
    participants.add(actor=cast.head, case=case_id, agency=cast.copyright, role="co_handler")
    return case_id, rejected


def test_anonymous_is_sent_to_sign_in(story):
    assert_sign_in_redirect(url(story[0]))


def test_the_asked_agency_sees_its_request_but_not_the_case(story, cast):
    # Jingzhou was asked to assist: the request is theirs, the case is not.
    entry = assert_hidden_and_audited(cast.jingzhou_liaison, url(story[0]), "case.cooperation")
    assert entry.owner_agency_id == cast.market.pk


def test_the_owner_sees_every_transfer_request_and_participant(story, cast):
    html = signed_in(cast.officer).get(url(story[0])).content.decode()
    assert rows(html, 'transfer') == 2 and f'id="transfer-{story[1].pk}"' in html
    assert "涉嫌犯罪移送（移送公安）" in html and "已移送，待接收" in html and "宜昌市公安局" in html
    assert "公安机关决定是否立案" in html and "chip chip-" in html  # the running step's deadline
    assert "宜昌市人民检察院" in html  # the procuratorate copied on a suspected crime
    assert rows(html, 'assistance') == 1 and "协查涉案公司注册信息" in html and "待答复" in html
    assert "主办" in html and "协办单位" in html and cast.copyright.name in html
    assert "<form" not in html.split('id="tab-body"')[1]  # read-only here


def test_the_police_see_the_transfer_sent_to_them_and_nothing_else(story, cast):
    html = signed_in(cast.police_liaison).get(url(story[0])).content.decode()
    assert rows(html, 'transfer') == 1 and f'id="transfer-{story[1].pk}"' not in html
    assert rows(html, 'assistance') == 0 and "暂无您可查看的本案协查请求" in html


def test_the_procuratorate_sees_the_transfer_it_supervises_with_its_opinions(story, cast):
    sent = Transfer.objects.filter(case_id=story[0], sent_at__isnull=False).get()
    SupervisionOpinion.objects.create(transfer=sent, procuratorate=cast.procuratorate, kind="explain_refusal",
                                      opinion="请说明理由", issued_by=cast.procurator,
                                      due_on=timezone.localdate() - timedelta(days=1))
    html = signed_in(cast.procurator).get(url(story[0])).content.decode()
    assert rows(html, 'transfer') == 1 and "说明不立案理由" in html and "回复已逾期" in html
    assert rows(html, 'assistance') == 0


def test_an_overdue_step_shows_red(story, cast):
    sent = Transfer.objects.filter(case_id=story[0], sent_at__isnull=False).get()
    Transfer.objects.filter(pk=sent.pk).update(due_at=timezone.now() - timedelta(hours=2))
    html = signed_in(cast.officer).get(url(story[0])).content.decode()
    assert "chip chip-overdue" in html


def test_cooperation_costs_the_same_queries_for_1_and_50(api, cast):
    case_id = open_filed_case(api, cast)
    case = Case.objects.get(pk=case_id)
    agencies = [cast.police, cast.copyright, cast.jingzhou, cast.procuratorate]

    def grow(n):
        now = timezone.now()
        while Transfer.objects.filter(case=case).count() < n:
            t = Transfer.objects.create(case=case, kind="suspected_crime", from_agency=cast.market,
                                        to_agency=cast.police, supervising_agency=cast.procuratorate,
                                        status="sent", reason="…", proposed_by=cast.officer, sent_at=now,
                                        due_step="decide", due_at=now + timedelta(days=3))
            SupervisionOpinion.objects.create(transfer=t, procuratorate=cast.procuratorate, kind="reply_to_opinion",
                                              opinion="…", issued_by=cast.procurator, due_on=date(2030, 1, 1))
            AssistanceRequest.objects.create(case=case, from_agency=cast.market, to_agency=cast.jingzhou,
                                             subject="协查", details="…", due_on=date(2030, 1, 1),
                                             requested_by=cast.officer)
        while CaseParticipant.objects.filter(case=case).count() < min(n, len(agencies)):
            taken = set(CaseParticipant.objects.filter(case=case).values_list("agency_id", flat=True))
            agency = next(a for a in agencies if a.pk not in taken)
            CaseParticipant.objects.create(case=case, agency=agency, role="supporter", added_by=cast.head)

    assert_constant_queries(signed_in(cast.officer), url(case_id), grow)

