"""The agencies' credit views: an enterprise's grade by the configured
rule, the seriously dishonest list; for agency members only, and never a
case's facts, informants, officers or individuals."""

import pytest
from django.test import override_settings
from django.utils import timezone

from disclosure import services
from disclosure.models import DisclosureRecord
from tests.factories import VALID_CREDIT_CODE, VALID_ID_NUMBER, AgencyFactory, Office, member

from .helpers import FACTS, INFORMANT, PERSON, decided_case, publish_pending

pytestmark = pytest.mark.django_db
CREDIT, DISHONEST = f"/api/v1/credit/enterprises/{VALID_CREDIT_CODE}/", "/api/v1/credit/dishonest/"


@pytest.fixture
def office():
    return Office()


@pytest.fixture
def other_agency_officer():
    return member(AgencyFactory(code="421000-SCJG"), "officer")


def three_penalties(office, *, published=True):
    cases = [decided_case(office, number=f"宜市监处罚〔2026〕{i + 1}号", person=i == 0) for i in range(3)]
    if published:
        publish_pending(office)
    return cases


def test_a_revoked_decision_no_longer_counts(api, office, other_agency_officer):
    cases = three_penalties(office)
    api.force_authenticate(other_agency_officer)
    assert api.get(CREDIT).json()["grade"] == "D"
    revoked = DisclosureRecord.objects.get(case=cases[0], party_kind="enterprise")
    services.correct(actor=office.head, record_id=revoked.pk, changes={}, note="复议撤销", revoked=True)
    view = api.get(CREDIT).json()
    assert view["penalties"] == 2 and view["grade"] == "C" and view["seriously_dishonest"] is False
    assert revoked.pk not in [r["id"] for r in view["records"]]
    assert api.get(DISHONEST).json()["results"] == []


def test_a_repaired_penalty_still_counts_and_says_so(api, office, other_agency_officer):
    case = decided_case(office, person=False)
    record = DisclosureRecord.objects.get(case=case)
    published = timezone.localdate().replace(year=timezone.localdate().year - 1)
    services.approve(actor=office.head, record_id=record.pk, today=published)
    record.refresh_from_db()
    repair = services.apply_repair(actor=office.officer, record_id=record.pk, applicant="宜昌某某商贸有限公司",
                                   reason="已整改", applied_on=record.repair_possible_from)
    services.decide_repair(actor=office.head, repair_id=repair.pk, approve_it=True)
    api.force_authenticate(other_agency_officer)
    [row] = api.get(CREDIT).json()["records"]
    assert row["status"] == "withdrawn" and row["repaired"] is True


@override_settings(CREDIT_GRADING={"years": 1, "grades": [("D", {"penalties": 1})], "dishonest": {"penalties": 1}})
def test_the_grade_follows_the_configured_rule(api, office, other_agency_officer):
    decided_case(office, person=False, fine="5000.00")
    publish_pending(office)
    api.force_authenticate(other_agency_officer)
    view = api.get(CREDIT).json()
    assert view["years"] == 1 and view["grade"] == "D" and view["seriously_dishonest"] is True
    assert [r["credit_code"] for r in api.get(DISHONEST).json()["results"]] == [VALID_CREDIT_CODE]
    with override_settings(CREDIT_GRADING={"dishonest": {"penalties": 5}}):  # the rest stays the default
        view = api.get(CREDIT).json()
        assert view["years"] == 3 and view["grade"] == "B" and view["seriously_dishonest"] is False


def test_only_agency_members_see_the_credit_views(api, office):
    three_penalties(office)
    for path in (CREDIT, DISHONEST):
        assert api.get(path).status_code == 401  # the public, anonymous
    former = member(AgencyFactory(code="X-1"), "officer")
    former.memberships.update(ended_at=timezone.now())
    api.force_authenticate(former)
    for path in (CREDIT, DISHONEST):
        assert api.get(path).status_code == 403  # signed in, but no longer in any agency
    api.force_authenticate(office.officer)
    for path in (CREDIT, DISHONEST):
        assert api.get(path).status_code == 200


def test_the_credit_views_carry_no_case_facts_informants_officers_or_individuals(api, office,
                                                                                other_agency_officer):
    three_penalties(office)
    api.force_authenticate(other_agency_officer)
    text = api.get(CREDIT).content.decode() + api.get(DISHONEST).content.decode()
    assert "宜昌某某商贸有限公司" in text
    for secret in (FACTS[:12], INFORMANT, PERSON, VALID_ID_NUMBER, office.officer.display_name,
                   office.head.display_name, office.officer.username, office.head.username):
        assert secret not in text, secret


@pytest.mark.parametrize("code", ["NOTACODE", "91350100M000100Y44", "x" * 300, "%00", "9135%0001"])
def test_a_bad_credit_code_is_400(api, other_agency_officer, code):
    api.force_authenticate(other_agency_officer)
    response = api.get(f"/api/v1/credit/enterprises/{code}/")
    assert response.status_code == 400 and "credit_code" in response.json()
