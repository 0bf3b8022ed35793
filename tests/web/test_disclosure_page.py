"""/disclosures/<id>/ — a record as it will be (or was) published and what
the agency alone sees; approve naming the regulated field, correct, revoke
(a dialog, with a reason); the revisions the public saw; refusals and bad
input at the fields; another agency's record is a 404 and on record."""

import pytest
from django.urls import reverse

from casehub.models import AuditEntry
from disclosure.models import DisclosureChange, DisclosureRecord
from tests.disclosure.helpers import PERSON, decided_case

from .disclosure_cast import clones, pending_record, published_record
from .helpers import assert_constant_queries, queries_for, signed_in

pytestmark = pytest.mark.django_db


def page_url(record):
    return reverse("web:disclosure", args=[record.pk])


ACTS = {"approve": "web:disclosure-approve", "correct": "web:disclosure-correct", "revoke": "web:disclosure-revoke",
        "repair": "web:disclosure-repair"}


def act_url(name, record):
    return reverse(ACTS[name], args=[record.pk])


def test_a_pending_record_shows_what_will_be_published_and_the_internal_fields(office):
    case = decided_case(office)
    person = DisclosureRecord.objects.get(case=case, party_kind="individual")
    page = signed_in(office.reviewer).get(page_url(person)).content.decode()
    assert "将公示的内容" in page or "What will be published" in page
    assert "张*" in page  # the public sees the masked name ...
    assert PERSON in page  # ... the agency the full one, in its own card
    assert "剩余 20 个工作日" in page and reverse("web:case", args=[case.pk]) in page
    # The reviewer is offered the approval, naming the regulated fields the rules know.
    assert act_url("approve", person) in page
    for field in ("food", "drugs", "special_equipment", "work_safety", "fire"):
        assert f'value="{field}"' in page
    # Not public yet: no link to its public page (the frame links to the portal itself).
    assert reverse("public-disclosure-page", args=[person.pk]) not in page


def test_the_reviewer_approves_naming_the_field_and_the_record_is_public(office):
    record = pending_record(office)
    client = signed_in(office.reviewer)
    response = client.post(act_url("approve", record), {"field": "food"})
    assert response.status_code == 302 and response["Location"] == page_url(record)
    record.refresh_from_db()
    assert record.status == "published" and record.field == "food" and record.approved_by == office.reviewer
    page = client.get(page_url(record)).content.decode()
    assert "已批准" in page or "Approved" in page
    assert reverse("public-disclosure-page", args=[record.pk]) in page
    assert 'id="revision-1"' in page
    assert AuditEntry.objects.filter(action="disclosure.approve", result="allowed", user=office.reviewer).exists()


def test_an_officer_is_refused_at_the_form_and_nothing_changes(office):
    record = pending_record(office)
    client = signed_in(office.officer)
    page = client.get(page_url(record)).content.decode()
    assert act_url("approve", record) not in page  # not offered ...
    response = client.post(act_url("approve", record), {"field": ""})  # ... and refused when sent
    page = response.content.decode()
    assert response.status_code == 200 and 'class="form-summary"' in page
    assert "由作出决定机关的审核人员或负责人决定。" in page
    record.refresh_from_db()
    assert record.status == "pending"
    assert AuditEntry.objects.filter(action="disclosure.approve", result="denied", user=office.officer).exists()


def test_a_bad_field_is_shown_at_the_field(office):
    record = pending_record(office)
    page = signed_in(office.reviewer).post(act_url("approve", record), {"field": "tobacco"}).content.decode()
    assert 'id="approve-id_field-errors"' in page or 'approve-field-errors' in page
    record.refresh_from_db()
    assert record.status == "pending"


def test_approving_twice_says_so(office):
    record = published_record(office)
    page = signed_in(office.head).post(act_url("approve", record), {}).content.decode()
    assert 'class="form-summary"' in page
    assert DisclosureChange.objects.filter(record=record).count() == 1


def test_a_correction_is_a_new_public_revision_with_its_note(office):
    record = published_record(office)
    client = signed_in(office.reviewer)
    response = client.post(act_url("correct", record), {
        "decision_number": record.decision_number, "penalties": ["fine", "confiscate_goods"],
        "fine_amount": "120000.00", "confiscated_amount": "", "field": "", "legal_basis": record.legal_basis,
        "note": "经行政复议，罚款变更为十二万元"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.revision == 2 and str(record.fine_amount) == "120000.00"
    page = client.get(page_url(record)).content.decode()
    assert 'id="revision-2"' in page and 'id="revision-1"' in page
    assert "经行政复议，罚款变更为十二万元" in page and "¥150,000.00" in page and "¥120,000.00" in page
    public = client.get(reverse("public-disclosure-page", args=[record.pk])).content.decode()
    assert "经行政复议，罚款变更为十二万元" in public and "¥120,000.00" in public and "150,000" not in public
    # The same history on both pages (history.revisions): which published field the correction changed.
    assert "更正事项：罚款金额" in page and "更正事项：罚款金额" in public


def test_a_correction_without_its_note_or_with_a_bad_amount_is_refused_at_the_fields(office):
    record = published_record(office)
    page = signed_in(office.reviewer).post(act_url("correct", record), {
        "decision_number": record.decision_number, "penalties": ["fine"], "fine_amount": "lots",
        "legal_basis": record.legal_basis, "note": ""}).content.decode()
    assert 'id="correct-note-errors"' in page and 'id="correct-fine_amount-errors"' in page
    assert 'value="lots"' in page  # what was typed is kept
    record.refresh_from_db()
    assert record.revision == 1


def test_a_fine_needs_its_amount_at_the_field(office):
    record = published_record(office)
    page = signed_in(office.reviewer).post(act_url("correct", record), {
        "decision_number": record.decision_number, "penalties": ["fine"], "fine_amount": "",
        "legal_basis": record.legal_basis, "note": "更正"}).content.decode()
    assert 'id="correct-fine_amount-errors"' in page
    record.refresh_from_db()
    assert record.revision == 1 and str(record.fine_amount) == "150000.00"


def test_revoking_asks_in_a_dialog_and_takes_the_record_off_the_public(office):
    record = published_record(office)
    client = signed_in(office.head)
    page = client.get(page_url(record)).content.decode()
    assert '<dialog id="revoke-dialog"' in page and 'data-open-dialog="#revoke-dialog"' in page
    refused = client.post(act_url("revoke", record), {"note": ""}).content.decode()
    assert 'id="revoke-form-note-errors"' in refused
    assert client.post(act_url("revoke", record), {"note": "处罚决定被人民法院判决撤销"}).status_code == 302
    record.refresh_from_db()
    assert record.status == "withdrawn" and record.withdrawn_reason == "decision revoked"
    assert client.get(reverse("public-disclosure-page", args=[record.pk])).status_code == 404
    page = client.get(page_url(record)).content.decode()
    assert "处罚决定已撤销" in page and 'id="revoke-dialog"' not in page


@pytest.mark.parametrize("name", ["approve", "correct", "revoke", "repair"])
def test_another_agencys_record_is_a_404_and_on_record(office, outsider, name):
    record = published_record(office) if name == "repair" else pending_record(office)
    client = signed_in(outsider)
    assert client.get(page_url(record)).status_code == 404
    response = client.post(act_url(name, record), {"note": "x", "field": "", "applicant": "x", "reason": "x",
                                                   "applied_on": "2026-01-01"})
    assert response.status_code == 404 and record.party_name not in response.content.decode()
    assert AuditEntry.objects.filter(user=outsider, result="denied", owner_agency=office.agency).exists()
    record.refresh_from_db()
    assert record.revision == 1


def test_an_unknown_record_is_a_404(office):
    assert signed_in(office.reviewer).get("/disclosures/999999/").status_code == 404


def test_the_page_costs_the_same_queries_whatever_its_history(office):
    record = published_record(office)
    client = signed_in(office.reviewer)
    url = page_url(record)

    def grow(n):
        from disclosure import services

        while record.revisions.count() < n:
            services.correct(actor=office.reviewer, record_id=record.pk, changes={}, note=f"更正{record.revision}")
            record.refresh_from_db()

    assert_constant_queries(client, url, grow)
    count, _ = queries_for(client, url)
    assert count < 25
    clones(record, 1)


def test_a_disclosure_notification_links_the_record_page(office):
    from django.core.management import call_command

    from notifications.links import url_for
    from notifications.models import Notification

    record = pending_record(office)
    assert url_for({"disclosure_id": record.pk}) == page_url(record)
    DisclosureRecord.objects.filter(pk=record.pk).update(due_on="2020-01-02")
    call_command("disclosure_tasks", stdout=open("/dev/null", "w"))
    from casehub.events.worker import drain

    drain()
    assert Notification.objects.filter(recipient=office.reviewer, kind="disclosure_overdue").exists()
    page = signed_in(office.reviewer).get(reverse("notifications-inbox")).content.decode()
    assert f'href="{page_url(record)}"' in page
