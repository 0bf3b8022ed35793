"""Joint handling (联合执法) in the case's 移送与协查 tab: the owning agency's
head brings a co-handling (协办) or supporting agency onto the case and ends
its part (confirmed in a <dialog>), through the participants service; a
participant sees what the access module allows — the case while it takes
part, a 404 once its part has ended. Refusals at the field, nothing stored;
an outsider's attempt is a 404 on record."""

import pytest
from django.urls import reverse

from casehub.models import CaseParticipant
from tests.audit.trail import Trail
from tests.factories import AgencyFactory, RegionFactory

from .assistance_cast import Cast
from .case_tabs import assert_hidden_and_audited, assert_sign_in_redirect
from .helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return Cast()


def tab(case):
    return reverse("web:case-cooperation", args=[case.pk])


def add_url(case):
    return reverse("web:case-participant-add", args=[case.pk])


def end_url(case, participant):
    return reverse("web:case-participant-end", args=[case.pk, getattr(participant, "pk", participant)])


def add(cast, agency=None, role="co_handler", user=None):
    return signed_in(user or cast.yichang.head).post(add_url(cast.case), {
        "agency": (agency or cast.jingzhou.agency).pk, "role": role})


def test_anonymous_is_sent_to_sign_in(cast):
    assert_sign_in_redirect(add_url(cast.case), method="post")


def test_the_head_sees_the_form_and_an_officer_reads_only(cast):
    head = signed_in(cast.yichang.head).get(tab(cast.case)).content.decode()
    assert 'id="participant-form"' in head and f'action="{add_url(cast.case)}"' in head
    assert '<optgroup label="荆州市">' in head and "协办单位" in head and "配合单位" in head
    officer = signed_in(cast.yichang.officer).get(tab(cast.case)).content.decode()
    assert 'id="participant-form"' not in officer and "dialog-end-participant" not in officer


def test_a_co_handler_sees_the_case_while_it_takes_part_and_not_after(cast):
    case_url = reverse("web:case", args=[cast.case.pk])
    member = signed_in(cast.jingzhou.officer)
    assert member.get(case_url).status_code == 404

    head = signed_in(cast.yichang.head)
    response = head.post(add_url(cast.case), {"agency": cast.jingzhou.agency.pk, "role": "co_handler"})
    participant = CaseParticipant.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{tab(cast.case)}#participant-{participant.pk}"
    assert (participant.agency, participant.role) == (cast.jingzhou.agency, "co_handler")
    page = head.get(tab(cast.case)).content.decode()
    assert "已作为协办单位参与本案联合执法" in page
    assert f'<dialog id="dialog-end-participant-{participant.pk}"' in page
    assert f'data-open-dialog="#dialog-end-participant-{participant.pk}"' in page

    # The co-handling agency's member sees the case now, and the tab with its part.
    assert member.get(case_url).status_code == 200
    theirs = member.get(tab(cast.case)).content.decode()
    assert f'id="participant-{participant.pk}"' in theirs and 'id="participant-form"' not in theirs

    ended = head.post(end_url(cast.case, participant))
    assert ended.status_code == 302
    participant.refresh_from_db()
    assert participant.ended_at is not None
    assert "已结束参与本案联合执法" in head.get(tab(cast.case)).content.decode()
    assert member.get(case_url).status_code == 404
    assert cast.case.number not in member.get(reverse("web:case-list")).content.decode()


def test_a_supporting_agency_is_added_too(cast):
    assert add(cast, cast.police.agency, role="supporter").status_code == 302
    assert CaseParticipant.objects.get().role == "supporter"
    assert signed_in(cast.police_liaison).get(reverse("web:case", args=[cast.case.pk])).status_code == 200


def test_an_agency_already_taking_part_is_refused_at_the_field(cast):
    add(cast)
    trail = Trail()
    response = add(cast)
    html = response.content.decode()
    assert response.status_code == 400 and "该单位已参与本案" in html.split('id="participant-agency-errors"')[1][:200]
    assert CaseParticipant.objects.count() == 1
    assert [e.result for e in trail.entries() if e.action == "case.add_participant"] == ["denied"]


def test_bad_input_is_said_at_the_fields(cast):
    response = signed_in(cast.yichang.head).post(add_url(cast.case), {"agency": "99999", "role": "boss"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="participant-agency-errors"' in html and 'id="participant-role-errors"' in html
    assert "选择一个有效的选项" in html
    # The owning agency is no choice either.
    own = add(cast, cast.yichang.agency)
    assert own.status_code == 400 and 'id="participant-agency-errors"' in own.content.decode()
    assert CaseParticipant.objects.count() == 0


def test_only_the_head_organises_joint_handling(cast):
    response = add(cast, user=cast.yichang.officer)
    assert response.status_code == 400 and "由承办单位负责人组织联合执法" in response.content.decode()
    add(cast)
    participant = CaseParticipant.objects.get()
    refused = signed_in(cast.yichang.officer).post(end_url(cast.case, participant))
    assert refused.status_code == 400 and "由承办单位负责人组织联合执法" in refused.content.decode()
    participant.refresh_from_db()
    assert participant.ended_at is None


def test_the_participant_cannot_end_or_add_on_the_owners_case(cast):
    add(cast)
    participant = CaseParticipant.objects.get()
    response = signed_in(cast.jingzhou.head).post(end_url(cast.case, participant))
    assert response.status_code == 400 and "由承办单位负责人组织联合执法" in response.content.decode()
    assert CaseParticipant.objects.get().ended_at is None


def test_ending_a_missing_or_ended_participation_is_a_404(cast):
    add(cast)
    participant = CaseParticipant.objects.get()
    head = signed_in(cast.yichang.head)
    assert head.post(end_url(cast.case, participant)).status_code == 302
    assert head.post(end_url(cast.case, participant)).status_code == 404
    assert head.post(end_url(cast.case, 999999)).status_code == 404


def test_an_outsider_gets_a_404_on_record_and_nothing_stored(cast):
    add(cast)
    participant = CaseParticipant.objects.get()
    assert_hidden_and_audited(cast.jingmen.head, add_url(cast.case), "case.add_participant", method="post",
                              agency=cast.jingmen.agency.pk, role="co_handler")
    assert_hidden_and_audited(cast.jingmen.head, end_url(cast.case, participant), "case.end_participant",
                              method="post", x="1")
    assert CaseParticipant.objects.filter(ended_at__isnull=True).count() == 1


def test_the_tab_costs_the_same_queries_for_the_head_with_1_and_50_participants(cast):
    region = RegionFactory(code="421000", name="荆州市")
    agencies = [AgencyFactory(region=region) for _ in range(50)]

    def grow(n):
        while CaseParticipant.objects.filter(case=cast.case).count() < n:
            taken = set(CaseParticipant.objects.filter(case=cast.case).values_list("agency_id", flat=True))
            agency = next(a for a in agencies if a.pk not in taken)
            CaseParticipant.objects.create(case=cast.case, agency=agency, role="supporter", added_by=cast.yichang.head)

    assert_constant_queries(signed_in(cast.yichang.head), tab(cast.case), grow)


def test_a_get_goes_back_to_the_tab(cast):
    head = signed_in(cast.yichang.head)
    assert head.get(add_url(cast.case))["Location"] == f"{tab(cast.case)}#participants-heading"
    assert head.get(end_url(cast.case, 1)).status_code == 302
