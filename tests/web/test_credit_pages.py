"""/credit/ — an enterprise looked up by its credit code (the check
character checked at the field), its credit report as the API's credit
view, and the seriously dishonest list; for agency members, each look-up
audited; another agency's unpublished decisions are not counted."""

import pytest
from django.urls import reverse

from casehub.models import AuditEntry
from disclosure.models import DisclosureRecord
from tests.disclosure.helpers import FACTS, INFORMANT, PERSON, publish_pending
from casehub.rules.identifiers import credit_code_check_char
from tests.factories import VALID_CREDIT_CODE

from .disclosure_cast import clones, pending_record
from .helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db
LOOKUP, DISHONEST = reverse("web:credit"), reverse("web:credit-dishonest")
REPORT = reverse("web:credit-report", args=[VALID_CREDIT_CODE])


def three_penalties(office):
    records = [pending_record(office, number=f"宜市监处罚〔2026〕{i + 1}号") for i in range(3)]
    publish_pending(office)
    return records


def test_a_lookup_goes_to_the_report(office):
    client = signed_in(office.officer)
    assert "统一社会信用代码" in client.get(LOOKUP).content.decode()
    response = client.get(LOOKUP, {"credit_code": VALID_CREDIT_CODE.lower()})
    assert response.status_code == 302 and response["Location"] == REPORT


@pytest.mark.parametrize("code", ["91350100M000100Y44", "12345", "91350100M000100Y4I"])
def test_a_bad_code_is_shown_at_the_field(office, code):
    client = signed_in(office.officer)
    response = client.get(LOOKUP, {"credit_code": code})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="credit-credit_code-errors"' in page
    assert not AuditEntry.objects.filter(action="credit.enterprise", result="allowed").exists()


def test_a_bad_code_in_the_address_is_refused_by_the_service_at_the_field(office):
    response = signed_in(office.officer).get(reverse("web:credit-report", args=["91350100M000100Y44"]))
    assert response.status_code == 200 and 'id="credit-credit_code-errors"' in response.content.decode()
    assert AuditEntry.objects.filter(action="credit.enterprise", result="denied").exists()


def test_the_report_counts_the_penalties_and_gives_the_grade(office):
    records = three_penalties(office)
    page = signed_in(office.officer).get(REPORT).content.decode()
    assert "宜昌某某商贸有限公司" in page and VALID_CREDIT_CODE in page
    assert 'class="credit-grade grade-D"' in page and "badge-dishonest" in page
    assert "¥450,000.00" in page and page.count('href="/disclosures/') == 3  # its own agency's: linked
    for record in records:
        assert record.decision_number in page
    content = page.split('<main', 1)[1]
    for secret in (FACTS, INFORMANT, PERSON, office.officer.display_name):
        assert secret not in content
    entry = AuditEntry.objects.filter(action="credit.enterprise", result="allowed").latest("seq")
    assert entry.detail["grade"] == "D" and entry.detail["penalties"] == 3


def test_another_agency_counts_what_was_published_only(office, outsider):
    records = three_penalties(office)
    pending_record(office, number="宜市监处罚〔2026〕9号")  # not yet public
    page = signed_in(outsider).get(REPORT).content.decode()
    assert "宜市监处罚〔2026〕9号" not in page and records[0].decision_number in page
    assert 'href="/disclosures/' not in page  # another agency's records have no page for them
    assert "<strong>3</strong>" in page or '<div class="figure">3</div>' in page
    own = signed_in(office.officer).get(REPORT).content.decode()
    assert '<div class="figure">4</div>' in own


def test_nothing_public_nothing_counted_for_another_agency(office, outsider):
    pending_record(office)
    page = signed_in(outsider).get(REPORT).content.decode()
    assert '<div class="figure">0</div>' in page and 'grade-A' in page and "宜市监处罚" not in page


def test_the_dishonest_list(office, outsider):
    three_penalties(office)
    for client in (signed_in(office.reviewer), signed_in(outsider)):
        page = client.get(DISHONEST).content.decode()
        assert VALID_CREDIT_CODE in page and REPORT in page and "宜昌某某商贸有限公司" in page
    assert AuditEntry.objects.filter(action="credit.dishonest", result="allowed").count() == 2


def test_someone_of_no_agency_finds_nothing(stranger, office):
    three_penalties(office)
    client = signed_in(stranger)
    for url in (LOOKUP, REPORT, DISHONEST):
        response = client.get(url)
        content = response.content.decode().split("<main", 1)[1]
        assert response.status_code == 404 and VALID_CREDIT_CODE not in content and "宜昌某某商贸有限公司" not in content


def code(i: int) -> str:
    first = f"91420500MA{i:07d}"
    return first + credit_code_check_char(first)


def test_the_report_costs_the_same_queries_for_1_and_50_decisions(office):
    record = pending_record(office)
    publish_pending(office)

    def grow(n):
        have = DisclosureRecord.objects.count()
        clones(DisclosureRecord.objects.get(pk=record.pk), n - have)

    assert_constant_queries(signed_in(office.officer), REPORT, grow)


def test_the_dishonest_list_costs_the_same_queries_for_1_and_50_enterprises(office):
    record = pending_record(office)
    publish_pending(office)
    record = DisclosureRecord.objects.get(pk=record.pk)

    def grow(n):
        have = DisclosureRecord.objects.values("credit_code").distinct().count() - 1
        for i in range(have, n):
            clones(record, 3, credit_code=code(i))

    assert_constant_queries(signed_in(office.officer), DISHONEST, grow)
    assert code(49) in signed_in(office.officer).get(DISHONEST).content.decode()
