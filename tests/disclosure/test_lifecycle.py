"""From the decision to the public and back out: publication, reminders,
expiry, credit repair, corrections, the credit views."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casehub.models import OutboxMessage
from disclosure import services
from disclosure.models import DisclosureChange, DisclosureRecord
from tests.factories import AgencyFactory, Office, member

from .helpers import PERSON, decided_case, publish_pending

pytestmark = pytest.mark.django_db
MINE, PUBLIC = "/api/v1/disclosures/", "/api/v1/public/disclosures/"


@pytest.fixture
def office():
    return Office()


def test_a_penalty_decision_awaits_review_then_is_public(api, office):
    case = decided_case(office)
    records = DisclosureRecord.objects.filter(case=case).order_by("party_kind")
    assert [r.party_kind for r in records] == ["enterprise", "individual"]  # not the informant
    assert {r.status for r in records} == {"pending"}
    api.force_authenticate(office.officer)
    listed = api.get(MINE).json()["results"]
    assert len(listed) == 2 and listed[0]["due_on"] and listed[0]["overdue"] is False
    assert api.get(PUBLIC).json()["results"] == []  # nothing public before review
    person = records.get(party_kind="individual")
    assert api.post(f"{MINE}{person.pk}/approve/").status_code == 403  # officers do not approve
    api.force_authenticate(office.reviewer)
    approved = api.post(f"{MINE}{person.pk}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "published"
    assert api.post(f"{MINE}{person.pk}/approve/").status_code == 409  # once
    public = api.get(PUBLIC).json()["results"]
    assert [(p["party_name"], p["credit_code"]) for p in public] == [("张**", "")]
    assert public[0]["publicity_ends_on"] == (timezone.localdate().replace(year=timezone.localdate().year + 3)
                                              - timedelta(days=1)).isoformat()


def test_a_warning_alone_is_not_recorded(office):
    case = decided_case(office, penalties=("warning",))
    assert not DisclosureRecord.objects.filter(case=case).exists()


def test_another_agency_neither_sees_nor_approves_my_records(api, office):
    decided_case(office)
    record = DisclosureRecord.objects.first()
    other = member(AgencyFactory(), "head")
    api.force_authenticate(other)
    assert api.get(MINE).json()["results"] == []
    assert api.post(f"{MINE}{record.pk}/approve/").status_code == 404


def test_the_20_working_day_limit_reminds_then_flags_once(office):
    case = decided_case(office, person=False)
    record = DisclosureRecord.objects.get(case=case)
    from casehub.calendar import working_calendar

    cal = working_calendar()
    assert record.due_on == cal.add_working_days(case.decision_date, 20)
    near = cal.add_working_days(case.decision_date, 18)
    assert services.remind(near) == (1, 0)
    assert services.remind(near) == (0, 0)  # reminded once
    late = record.due_on + timedelta(days=1)
    assert services.remind(late) == (0, 1)
    assert services.remind(late) == (0, 0)  # flagged once
    record.refresh_from_db()
    assert record.late and record.reminded_at
    kinds = list(OutboxMessage.objects.filter(event_type__startswith="disclosure.").values_list("event_type",
                                                                                                  flat=True))
    assert sorted(set(kinds)) == ["disclosure.due", "disclosure.overdue"]


@pytest.mark.parametrize("penalties,fine,months", [(("fine",), "50000.00", 3), (("fine",), "150000.00", 36)])
def test_expiry_after_3_months_or_3_years(api, office, penalties, fine, months):
    case = decided_case(office, penalties=penalties, fine=fine, person=False)
    record = DisclosureRecord.objects.get(case=case)
    start = timezone.localdate()
    services.approve(actor=office.head, record_id=record.pk, today=start)
    record.refresh_from_db()
    from dateutil.relativedelta import relativedelta

    assert record.publicity_ends_on == start + relativedelta(months=months) - timedelta(days=1)
    assert services.expire(record.publicity_ends_on) == 0  # its last public day
    assert services.expire(record.publicity_ends_on + timedelta(days=1)) == 1
    record.refresh_from_db()
    assert record.status == "expired"
    # The feed keeps the expiry, and no longer what was public.
    assert list(DisclosureChange.objects.filter(record=record).values_list("kind", "snapshot")) == [("expired", {})]


def test_credit_repair_only_after_the_minimum_period(api, office):
    case = decided_case(office, person=False)
    record = DisclosureRecord.objects.get(case=case)
    published = timezone.localdate() - timedelta(days=200)
    services.approve(actor=office.head, record_id=record.pk, today=published)
    record.refresh_from_db()
    api.force_authenticate(office.officer)
    early = api.post(f"{MINE}{record.pk}/repairs/", {
        "applicant": "宜昌某某商贸有限公司", "reason": "已整改并缴清罚款",
        "applied_on": (record.repair_possible_from - timedelta(days=1)).isoformat()}, format="json")
    assert early.status_code == 400 and "applied_on" in early.json()
    applied = api.post(f"{MINE}{record.pk}/repairs/", {
        "applicant": "宜昌某某商贸有限公司", "reason": "已整改并缴清罚款",
        "applied_on": record.repair_possible_from.isoformat()}, format="json")
    assert applied.status_code == 201, applied.content
    repair_id = applied.json()["id"]
    api.force_authenticate(office.head)
    refused = api.post(f"/api/v1/credit-repairs/{repair_id}/refuse/", {"reason": ""}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    assert api.post(f"/api/v1/credit-repairs/{repair_id}/approve/", {}, format="json").status_code == 200
    record.refresh_from_db()
    assert record.status == "withdrawn" and record.repairs.get().status == "approved"  # kept internally
    assert api.get(f"{PUBLIC}{record.pk}/").status_code == 404
    assert DisclosureChange.objects.filter(record=record).latest("id").kind == "withdrawn"


def test_a_changed_decision_is_published_as_a_correction_a_revoked_one_withdrawn(api, office):
    case = decided_case(office)
    company, person = DisclosureRecord.objects.filter(case=case).order_by("party_kind")
    for record in (company, person):
        services.approve(actor=office.head, record_id=record.pk)
    api.force_authenticate(office.head)
    corrected = api.post(f"{MINE}{company.pk}/correct/", {
        "note": "经行政复议，罚款变更为八万元", "fine_amount": "80000.00", "penalties": ["fine"]}, format="json")
    assert corrected.status_code == 200, corrected.content
    public = api.get(f"{PUBLIC}{company.pk}/").json()
    assert public["fine_amount"] == "80000.00" and public["revision"] == 2 and "复议" in public["correction_note"]
    change = DisclosureChange.objects.filter(record=company).latest("id")
    assert change.kind == "corrected" and change.snapshot["fine_amount"] == "80000.00"
    assert api.post(f"{MINE}{person.pk}/correct/", {"note": "处罚决定已被撤销", "revoked": True},
                    format="json").status_code == 200
    assert api.get(f"{PUBLIC}{person.pk}/").status_code == 404
    bad = api.post(f"{MINE}{company.pk}/correct/", {"note": "x", "fine_amount": "-1"}, format="json")
    assert bad.status_code == 400 and "fine_amount" in bad.json()


def test_credit_view_and_the_dishonest_list_for_every_agency(api, office):
    for i in range(3):
        decided_case(office, number=f"宜市监处罚〔2026〕{i + 1}号", person=False)
    publish_pending(office)
    other = member(AgencyFactory(code="421000-SCJG"), "officer")
    api.force_authenticate(other)
    from tests.factories import VALID_CREDIT_CODE

    view = api.get(f"/api/v1/credit/enterprises/{VALID_CREDIT_CODE}/").json()
    assert view["penalties"] == 3 and view["grade"] == "D" and view["seriously_dishonest"] is True
    assert view["repeat_infringements"] == {"trademark": 3}
    listed = api.get("/api/v1/credit/dishonest/").json()["results"]
    assert [r["credit_code"] for r in listed] == [VALID_CREDIT_CODE]
    assert api.get("/api/v1/credit/enterprises/NOTACODE/").status_code == 400
    api.force_authenticate(None)
    assert api.get("/api/v1/credit/dishonest/").status_code in (401, 403)
    outsider = member(AgencyFactory(code="X-1"), "officer")
    outsider.memberships.update(ended_at=timezone.now())
    api.force_authenticate(outsider)
    assert api.get("/api/v1/credit/dishonest/").status_code == 403
    assert PERSON  # the cast's individual is not on an enterprise list


@pytest.mark.parametrize("method,path", [
    ("get", f"{MINE}abc/"), ("post", f"{MINE}abc/approve/"), ("post", f"{MINE}1x/correct/"),
    ("post", f"{MINE}{'9' * 30}/approve/"), ("post", f"{MINE}{'9' * 30}/repairs/"), ("get", f"{MINE}{'9' * 30}/"),
    ("post", "/api/v1/credit-repairs/abc/approve/"), ("post", f"/api/v1/credit-repairs/{'9' * 30}/refuse/"),
])
def test_an_unknown_or_malformed_id_is_404_never_500(api, office, method, path):
    decided_case(office)
    api.force_authenticate(office.head)
    body = {"note": "x", "reason": "x", "applicant": "x", "applied_on": "2026-01-01"}
    assert getattr(api, method)(path, body, format="json").status_code == 404


@pytest.mark.parametrize("path,field", [
    (f"{MINE}?late=maybe", "late"), (f"{MINE}?status=bogus", "status"), (f"{MINE}?ip_type=bogus", "ip_type"),
    ("/api/v1/credit-repairs/?status=bogus", "status"),
])
def test_a_bad_filter_is_400_with_the_field_named(api, office, path, field):
    api.force_authenticate(office.head)
    response = api.get(path)
    assert response.status_code == 400 and field in response.json()


def test_late_lists_what_missed_the_20_working_days(api, office):
    case = decided_case(office, person=False)
    record = DisclosureRecord.objects.get(case=case)
    services.remind(record.due_on + timedelta(days=1))
    api.force_authenticate(office.reviewer)
    assert [r["id"] for r in api.get(MINE, {"late": "true"}).json()["results"]] == [record.pk]
    assert api.get(MINE, {"late": "false"}).json()["results"] == []


def test_the_reviewer_names_a_regulated_field_and_its_longer_periods_apply(api, office):
    case = decided_case(office, person=False)  # 3 years
    record = DisclosureRecord.objects.get(case=case)
    api.force_authenticate(office.reviewer)
    bad = api.post(f"{MINE}{record.pk}/approve/", {"field": "tobacco"}, format="json")
    assert bad.status_code == 400 and "field" in bad.json()
    approved = api.post(f"{MINE}{record.pk}/approve/", {"field": "food"}, format="json").json()
    from dateutil.relativedelta import relativedelta

    today = timezone.localdate()
    assert approved["field"] == "food" and approved["repair_possible_from"] == (
        today + relativedelta(months=12)).isoformat()  # not 6: food
    # Published long enough ago for an ordinary record, not for food.
    DisclosureRecord.objects.filter(pk=record.pk).update(
        published_on=today - relativedelta(months=7), repair_possible_from=today + relativedelta(months=5))
    early = api.post(f"{MINE}{record.pk}/repairs/", {"applicant": "宜昌某某商贸有限公司", "reason": "已整改",
                                                   "applied_on": today.isoformat()}, format="json")
    assert early.status_code == 400 and "applied_on" in early.json()
    # A circular in special equipment is public for a year, not 3 months.
    short = DisclosureRecord.objects.get(case=decided_case(office, penalties=("circular",), person=False,
                                                           number="宜市监处罚〔2026〕89号"))
    done = api.post(f"{MINE}{short.pk}/approve/", {"field": "special_equipment"}, format="json").json()
    assert done["publicity_ends_on"] == (today + relativedelta(months=12) - timedelta(days=1)).isoformat()
    corrected = api.post(f"{MINE}{short.pk}/correct/", {"note": "领域更正", "field": ""}, format="json").json()
    assert corrected["publicity_ends_on"] == (today + relativedelta(months=3) - timedelta(days=1)).isoformat()


def test_approval_after_the_limit_is_marked_late(office):
    record = DisclosureRecord.objects.get(case=decided_case(office, person=False))
    services.approve(actor=office.reviewer, record_id=record.pk, today=record.due_on + timedelta(days=1))
    record.refresh_from_db()
    assert record.status == "published" and record.late


def test_only_the_agencys_handlers_record_a_repair_application(api, office):
    record = DisclosureRecord.objects.get(case=decided_case(office, person=False))
    services.approve(actor=office.head, record_id=record.pk, today=timezone.localdate() - timedelta(days=200))
    record.refresh_from_db()
    body = {"applicant": "宜昌某某商贸有限公司", "reason": "已整改", "applied_on": timezone.localdate().isoformat()}
    api.force_authenticate(member(office.agency, "auditor", username="disclosure-auditor"))
    assert api.post(f"{MINE}{record.pk}/repairs/", body, format="json").status_code == 403
    api.force_authenticate(office.officer)
    assert api.post(f"{MINE}{record.pk}/repairs/", body, format="json").status_code == 201


def test_a_record_whose_publicity_ended_cannot_be_repaired(api, office):
    record = DisclosureRecord.objects.get(case=decided_case(office, penalties=("circular",), person=False))
    services.approve(actor=office.head, record_id=record.pk, today=timezone.localdate() - timedelta(days=120))
    api.force_authenticate(office.officer)
    response = api.post(f"{MINE}{record.pk}/repairs/", {"applicant": "宜昌某某商贸有限公司", "reason": "已整改",
                                                        "applied_on": timezone.localdate().isoformat()}, format="json")
    assert response.status_code == 409  # it left the public set by itself; nothing to repair


def test_a_fine_needs_its_amount(api, office):
    record = DisclosureRecord.objects.get(case=decided_case(office, penalties=("circular",), person=False))
    api.force_authenticate(office.head)
    response = api.post(f"{MINE}{record.pk}/correct/", {"note": "增加罚款", "penalties": ["circular", "fine"]},
                        format="json")
    assert response.status_code == 400 and "fine_amount" in response.json()


def test_the_worker_expires_reminds_and_flags(office):
    from casehub.events import periodic

    public = DisclosureRecord.objects.get(case=decided_case(office, penalties=("circular",), person=False))
    services.approve(actor=office.head, record_id=public.pk, today=timezone.localdate() - timedelta(days=120))
    late = DisclosureRecord.objects.get(case=decided_case(office, person=False, number="宜市监处罚〔2026〕90号",
                                                          decision_date=timezone.localdate() - timedelta(days=60)))
    periodic.run_all()
    public.refresh_from_db()
    late.refresh_from_db()
    assert public.status == "expired" and late.late
    assert list(DisclosureChange.objects.filter(record=public).values_list("kind", flat=True)) == ["expired"]


def test_a_change_before_publication_is_not_shown_as_a_correction(api, office):
    record = DisclosureRecord.objects.get(case=decided_case(office, person=False))
    api.force_authenticate(office.head)
    changed = api.post(f"{MINE}{record.pk}/correct/", {"note": "复议变更罚款", "fine_amount": "120000.00"},
                       format="json").json()
    assert changed["fine_amount"] == "120000.00" and changed["status"] == "pending"
    assert changed["revision"] == 1 and changed["correction_note"] == ""
    api.post(f"{MINE}{record.pk}/approve/", {}, format="json")
    public = api.get(f"{PUBLIC}{record.pk}/").json()
    assert public["fine_amount"] == "120000.00" and public["revision"] == 1 and public["correction_note"] == ""
    assert DisclosureChange.objects.filter(record=record).get().kind == "published"
