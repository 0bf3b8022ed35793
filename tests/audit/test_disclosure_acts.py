"""Disclosure acts through the real URL router: approval, correction,
revocation, withdrawal, credit repair, expiry and the credit views are
each audited exactly once against the deciding agency, allowed or denied
(with nothing else written); and another agency sees a penalty decision
only once it is published (defect 10)."""

import pytest
from django.utils import timezone

from agencies.roles import Role
from casehub.models import AuditEntry
from disclosure import services
from disclosure.models import CreditRepair, DisclosureRecord
from tests.disclosure.helpers import decided_case
from tests.factories import VALID_CREDIT_CODE, AgencyFactory, Office, member, jingzhou_office

from .trail import Trail

pytestmark = pytest.mark.django_db
MINE, REPAIRS = "/api/v1/disclosures/", "/api/v1/credit-repairs/"
CREDIT, DISHONEST = f"/api/v1/credit/enterprises/{VALID_CREDIT_CODE}/", "/api/v1/credit/dishonest/"


@pytest.fixture
def office():
    return Office()


@pytest.fixture
def theirs():
    return jingzhou_office()


@pytest.fixture
def record(office):
    return DisclosureRecord.objects.get(case=decided_case(office, person=False))


def as_user(api, user):
    api.force_authenticate(user)
    return api


def published_a_year_ago(office, record):
    services.approve(actor=office.head, record_id=record.pk,
                     today=timezone.localdate().replace(year=timezone.localdate().year - 1))
    record.refresh_from_db()
    return record


# --- approval ---------------------------------------------------------------------------
def test_approval_is_audited_once_against_the_deciding_agency(api, office, record):
    trail = Trail()
    assert as_user(api, office.reviewer).post(f"{MINE}{record.pk}/approve/", {"field": "food"},
                                              format="json").status_code == 200
    entry = trail.allowed("disclosure.approve")
    assert (entry.user, entry.agency_id, entry.owner_agency_id) == (office.reviewer, office.agency.pk,
                                                                    office.agency.pk)
    assert entry.object_type == "disclosure" and entry.object_id == str(record.pk)
    assert entry.detail["field"] == "food" and entry.detail["publicity_ends_on"]


def test_an_officer_approving_is_denied_once_and_nothing_is_published(api, office, record):
    trail = Trail()
    assert as_user(api, office.officer).post(f"{MINE}{record.pk}/approve/").status_code == 403
    entry = trail.denied("disclosure.approve")
    assert entry.detail["refusal"] == "forbidden" and entry.owner_agency_id == office.agency.pk
    record.refresh_from_db()
    assert record.status == "pending"


def test_another_agency_approving_is_a_404_its_owner_sees(api, office, theirs, record):
    trail = Trail()
    assert as_user(api, theirs.head).post(f"{MINE}{record.pk}/approve/").status_code == 404
    entry = trail.denied("disclosure.approve")
    assert (entry.agency_id, entry.owner_agency_id) == (theirs.agency.pk, office.agency.pk)
    auditor = member(office.agency, Role.AUDITOR)
    listed = as_user(api, auditor).get("/api/v1/audit/", {"action": "disclosure.approve"}).json()["results"]
    assert [(e["user"], e["result"]) for e in listed] == [(theirs.head.username, "denied")]


def test_approving_twice_and_bad_input_are_denied_once_each(api, office, record):
    as_user(api, office.head)
    trail = Trail()
    response = api.post(f"{MINE}{record.pk}/approve/", {"field": "rockets"}, format="json")
    assert response.status_code == 400 and "field" in response.json()
    assert "field" in trail.denied("disclosure.approve").detail["reasons"]
    assert api.post(f"{MINE}{record.pk}/approve/").status_code == 200
    trail = Trail()
    assert api.post(f"{MINE}{record.pk}/approve/").status_code == 409
    assert trail.denied("disclosure.approve").detail["refusal"] == "conflict"


def test_an_unknown_record_is_a_404_denied_once(api, office):
    trail = Trail()
    assert as_user(api, office.head).post(f"{MINE}{'9' * 30}/approve/").status_code == 404
    entry = trail.denied("disclosure.approve")
    assert entry.owner_agency_id is None and entry.object_id == "9" * 30


# --- correction, revocation, withdrawal ---------------------------------------------------
def test_a_correction_is_audited_with_what_changed(api, office, record):
    services.approve(actor=office.head, record_id=record.pk)
    trail = Trail()
    response = as_user(api, office.head).post(f"{MINE}{record.pk}/correct/",
                                              {"note": "复议变更罚款", "fine_amount": "90000.00"}, format="json")
    assert response.status_code == 200
    entry = trail.allowed("disclosure.correct")
    assert entry.detail["before"] == {"fine_amount": "150000.00"} and entry.detail["after"] == {
        "fine_amount": "90000.00"}
    assert entry.detail["revision"] == 2 and entry.detail["note"] == "复议变更罚款"


def test_a_revocation_and_a_withdrawal_are_named_as_such(api, office, record):
    services.approve(actor=office.head, record_id=record.pk)
    trail = Trail()
    assert as_user(api, office.head).post(f"{MINE}{record.pk}/correct/", {"note": "撤销", "revoked": True},
                                          format="json").status_code == 200
    trail.allowed("disclosure.revoke")
    other = DisclosureRecord.objects.get(case=decided_case(office, person=False, number="宜市监处罚〔2026〕2号"))
    trail = Trail()
    assert api.post(f"{MINE}{other.pk}/correct/", {"note": "变更为警告", "penalties": ["warning"]},
                    format="json").status_code == 200
    trail.allowed("disclosure.withdraw")


def test_a_refused_correction_is_denied_once_and_changes_nothing(api, office, record):
    services.approve(actor=office.head, record_id=record.pk)
    trail = Trail()
    response = as_user(api, office.head).post(f"{MINE}{record.pk}/correct/",
                                              {"note": "x", "fine_amount": None}, format="json")
    assert response.status_code == 400 and "fine_amount" in response.json()
    trail.denied("disclosure.correct")
    record.refresh_from_db()
    assert record.revision == 1 and record.fine_amount is not None
    trail = Trail()
    assert as_user(api, office.officer).post(f"{MINE}{record.pk}/correct/", {"note": "x", "revoked": True},
                                             format="json").status_code == 403
    trail.denied("disclosure.correct")


# --- credit repair --------------------------------------------------------------------------
def test_a_repair_application_and_its_approval_are_audited(api, office, record):
    published_a_year_ago(office, record)
    trail = Trail()
    applied = as_user(api, office.officer).post(f"{MINE}{record.pk}/repairs/", {
        "applicant": "宜昌某某商贸有限公司", "reason": "已整改", "applied_on": record.repair_possible_from.isoformat()},
        format="json")
    assert applied.status_code == 201
    entry = trail.allowed("credit_repair.apply")
    assert entry.detail["repair"] == applied.json()["id"] and entry.owner_agency_id == office.agency.pk
    trail = Trail()
    assert as_user(api, office.head).post(f"{REPAIRS}{applied.json()['id']}/approve/").status_code == 200
    entry = trail.allowed("credit_repair.approve")
    assert entry.object_type == "credit_repair" and entry.object_id == str(applied.json()["id"])
    assert entry.detail == {"record": record.pk, "withdrawn": True}


def test_refused_repair_acts_are_denied_once(api, office, record):
    published_a_year_ago(office, record)
    as_user(api, office.officer)
    trail = Trail()
    too_early = api.post(f"{MINE}{record.pk}/repairs/", {"applicant": "某公司", "reason": "已整改",
                                                          "applied_on": record.published_on.isoformat()}, format="json")
    assert too_early.status_code == 400 and "applied_on" in too_early.json()
    trail.denied("credit_repair.apply")
    repair = services.apply_repair(actor=office.officer, record_id=record.pk, applicant="某公司", reason="已整改",
                                   applied_on=record.repair_possible_from)
    trail = Trail()
    assert api.post(f"{REPAIRS}{repair.pk}/refuse/", {"reason": "不符合条件"}, format="json").status_code == 403
    trail.denied("credit_repair.refuse")  # officers record, they do not decide
    as_user(api, office.head)
    trail = Trail()
    assert api.post(f"{REPAIRS}{repair.pk}/refuse/", {"reason": " "}, format="json").status_code == 400
    trail.denied("credit_repair.refuse")
    trail = Trail()
    assert api.post(f"{REPAIRS}{repair.pk}/refuse/", {"reason": "不符合条件"}, format="json").status_code == 200
    trail.allowed("credit_repair.refuse")
    assert CreditRepair.objects.get(pk=repair.pk).status == "refused"


def test_expiry_is_audited_as_the_systems_act(office, record):
    published_a_year_ago(office, record)
    record.publicity_ends_on = timezone.localdate() - timezone.timedelta(days=1)
    record.save(update_fields=["publicity_ends_on"])
    trail = Trail()
    assert services.expire() == 1
    entry = trail.allowed("disclosure.expire")
    assert entry.user is None and entry.owner_agency_id == office.agency.pk and entry.object_id == str(record.pk)


# --- the credit views ---------------------------------------------------------------------
def test_a_credit_lookup_is_audited_with_the_code_and_how_many_decisions(api, office, record):
    trail = Trail()
    assert as_user(api, office.officer).get(CREDIT).status_code == 200
    entry = trail.allowed("credit.enterprise")
    assert entry.object_type == "enterprise" and entry.object_id == VALID_CREDIT_CODE
    assert entry.detail == {"penalties": 1, "grade": "C"}
    trail = Trail()
    assert api.get(DISHONEST).status_code == 200
    assert trail.allowed("credit.dishonest").detail == {"count": 0}


def test_refused_credit_lookups_are_denied_once(api, office):
    trail = Trail()
    assert as_user(api, office.officer).get("/api/v1/credit/enterprises/NOTACODE/").status_code == 400
    assert trail.denied("credit.enterprise").detail["refusal"] == "invalid"
    former = member(AgencyFactory(code="X-1"), "officer")
    former.memberships.update(ended_at=timezone.now())
    as_user(api, former)
    for path, action in ((CREDIT, "credit.enterprise"), (DISHONEST, "credit.dishonest")):
        trail = Trail()
        assert api.get(path).status_code == 403
        trail.denied(action)


def test_a_nul_in_the_code_is_a_400_naming_it_and_never_stored(api, office):
    trail = Trail()
    response = as_user(api, office.officer).get("/api/v1/credit/enterprises/%00/")
    # Refused before any view (casehub/request_limits.py): no act was tried.
    assert response.status_code == 400 and list(response.json()) == ["credit_code"]
    assert trail.entries() == []


# --- defect 10 ------------------------------------------------------------------------------
class TestPendingDecisionsStayWithTheirAgency:
    """Before the fix, /credit/enterprises/{code}/ listed another agency's
    pending, unpublished decision to any agency's officer."""

    def test_another_agency_does_not_see_a_pending_decision(self, api, office, theirs, record):
        view = as_user(api, theirs.officer).get(CREDIT).json()
        assert view["penalties"] == 0 and view["records"] == [] and view["name"] is None
        assert view["grade"] == "A"

    def test_the_deciding_agency_sees_it_at_once(self, api, office, record):
        view = as_user(api, office.officer).get(CREDIT).json()
        assert [r["id"] for r in view["records"]] == [record.pk] and view["records"][0]["status"] == "pending"

    def test_once_published_every_agency_sees_it(self, api, office, theirs, record):
        services.approve(actor=office.head, record_id=record.pk)
        view = as_user(api, theirs.officer).get(CREDIT).json()
        assert [r["id"] for r in view["records"]] == [record.pk] and view["penalties"] == 1

    def test_the_dishonest_list_counts_only_what_the_viewer_may_see(self, api, office, theirs, settings):
        settings.CREDIT_GRADING = {"dishonest": {"penalties": 1}}
        record = DisclosureRecord.objects.get(case=decided_case(office, person=False))
        assert as_user(api, theirs.officer).get(DISHONEST).json()["results"] == []
        assert [r["credit_code"] for r in as_user(api, office.officer).get(DISHONEST).json()["results"]] == [
            VALID_CREDIT_CODE]
        services.approve(actor=office.head, record_id=record.pk)
        assert [r["credit_code"] for r in as_user(api, theirs.officer).get(DISHONEST).json()["results"]] == [
            VALID_CREDIT_CODE]

    def test_a_repaired_decision_still_counts_for_everyone(self, api, office, theirs, record):
        published_a_year_ago(office, record)
        repair = services.apply_repair(actor=office.officer, record_id=record.pk, applicant="某公司", reason="已整改",
                                       applied_on=record.repair_possible_from)
        services.decide_repair(actor=office.head, repair_id=repair.pk, approve_it=True)
        [row] = as_user(api, theirs.officer).get(CREDIT).json()["records"]
        assert row["repaired"] is True


def test_public_reads_are_not_audited(api, office, record):
    """The public set is public: anonymous reads write nothing (the audit
    log's single writer is not for anyone on the internet to queue on)."""
    services.approve(actor=office.head, record_id=record.pk)
    before = AuditEntry.objects.count()
    for path in ("/api/v1/public/disclosures/", f"/api/v1/public/disclosures/{record.pk}/",
                 "/api/v1/public/disclosures/changes/", "/api/v1/public/disclosures/export.csv"):
        assert api.get(path).status_code == 200
    assert AuditEntry.objects.count() == before
