"""Credit repair (信用修复): an application recorded from the record's
page, the desk of applications (pending first, filters, pages), approved
or refused with reasons by the deciding agency's reviewers and head."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casehub.models import AuditEntry
from disclosure.models import CreditRepair
from disclosure.web_desk import repairs as desk

from .disclosure_cast import aged, application, pending_record, published_record
from .helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db
URL = reverse("web:credit-repairs")


def decide_url(repair, verdict):
    return reverse("web:credit-repair-decide", args=[repair.pk, verdict])


def test_an_officer_records_an_application_from_the_record_page(office):
    record = aged(pending_record(office))
    client = signed_in(office.officer)
    page_url = reverse("web:disclosure", args=[record.pk])
    assert reverse("web:disclosure-repair", args=[record.pk]) in client.get(page_url).content.decode()
    response = client.post(reverse("web:disclosure-repair", args=[record.pk]), {
        "applicant": "宜昌某某商贸有限公司", "reason": "已缴清罚款并完成整改", "applied_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    repair = CreditRepair.objects.get(record=record)
    assert repair.status == "pending" and repair.recorded_by == office.officer
    assert "已缴清罚款并完成整改" in client.get(page_url).content.decode()


def test_an_application_too_early_or_in_the_future_is_refused_at_its_field(office):
    record = published_record(office)  # published today: repair from six months on
    client = signed_in(office.officer)
    url = reverse("web:disclosure-repair", args=[record.pk])
    page = client.post(url, {"applicant": "x", "reason": "y", "applied_on": timezone.localdate().isoformat()}
                       ).content.decode()
    assert 'id="repair-applied_on-errors"' in page
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    page = client.post(url, {"applicant": "x", "reason": "y", "applied_on": future}).content.decode()
    assert 'id="repair-applied_on-errors"' in page
    page = client.post(url, {"applicant": "", "reason": "y", "applied_on": "not a date"}).content.decode()
    assert 'id="repair-applicant-errors"' in page and 'id="repair-applied_on-errors"' in page
    assert not CreditRepair.objects.exists()


def test_the_desk_lists_pending_first_and_the_head_approves(office):
    first = aged(pending_record(office, number="宜市监处罚〔2026〕31号"))
    second = aged(pending_record(office, number="宜市监处罚〔2026〕32号"))
    done = application(office, first)
    waiting = application(office, second)
    client = signed_in(office.head)
    assert client.post(decide_url(done, "refuse"), {"reason": "未履行完毕"}).status_code == 302
    page = client.get(URL).content.decode()
    assert page.index(f'id="application-{waiting.pk}"') < page.index(f'id="application-{done.pk}"')
    assert f'<dialog id="refuse-{waiting.pk}"' in page and f'<dialog id="refuse-{done.pk}"' not in page
    assert "未履行完毕" in page
    assert client.post(decide_url(waiting, "approve"), {"reason": ""}).status_code == 302
    waiting.refresh_from_db()
    second.refresh_from_db()
    assert waiting.status == "approved" and second.status == "withdrawn" and second.withdrawn_reason == "credit repaired"
    assert client.get(reverse("public-disclosure-page", args=[second.pk])).status_code == 404


def test_refusing_needs_reasons_and_an_officer_does_not_decide(office):
    repair = application(office, aged(pending_record(office)))
    page = signed_in(office.reviewer).post(decide_url(repair, "refuse"), {"reason": " "}).content.decode()
    assert 'id="decide-failed"' in page and f'id="decide-{repair.pk}-reason-errors"' in page
    page = signed_in(office.officer).post(decide_url(repair, "approve"), {}).content.decode()
    assert "由作出决定机关的审核人员或负责人决定。" in page
    repair.refresh_from_db()
    assert repair.status == "pending"
    assert AuditEntry.objects.filter(action="credit_repair.approve", result="denied", user=office.officer).exists()
    # The officer sees the application, with no decision to take.
    assert f'data-open-dialog="#approve-{repair.pk}"' not in signed_in(office.officer).get(URL).content.decode()


def test_filters_and_bad_filters(office):
    repair = application(office, aged(pending_record(office, company="宜昌丙公司")))
    client = signed_in(office.reviewer)
    assert f"application-{repair.pk}" in client.get(URL, {"status": "pending", "enterprise": "丙公司"}).content.decode()
    assert f"application-{repair.pk}" not in client.get(URL, {"status": "approved"}).content.decode()
    page = client.get(URL, {"applied_after": "yesterday"}).content.decode()
    assert 'id="errors-applied_after"><ul class="errorlist' in page and f"application-{repair.pk}" not in page
    rows = client.get(URL, {"status": "pending"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in rows and f"application-{repair.pk}" in rows


def test_pages_pending_first_then_the_decided(office, monkeypatch):
    monkeypatch.setattr(desk, "PAGE_SIZE", 1)
    a = application(office, aged(pending_record(office, number="宜市监处罚〔2026〕41号")))
    b = application(office, aged(pending_record(office, number="宜市监处罚〔2026〕42号")))
    client = signed_in(office.head)
    client.post(decide_url(b, "refuse"), {"reason": "材料不全"})
    first = client.get(URL).content.decode()
    assert f"application-{a.pk}" in first and 'rel="next"' in first
    second = client.get(URL, {"from": f"0-{a.pk}"}).content.decode()
    assert f"application-{b.pk}" in second and f"application-{a.pk}" not in second


def test_another_agency_sees_and_decides_none(office, outsider):
    repair = application(office, aged(pending_record(office)))
    client = signed_in(outsider)
    assert f"application-{repair.pk}" not in client.get(URL).content.decode()
    for verdict in ("approve", "refuse"):
        assert client.post(decide_url(repair, verdict), {"reason": "x"}).status_code == 404
    assert client.post(f"/credit-repairs/{repair.pk}/maybe/", {}).status_code == 404
    repair.refresh_from_db()
    assert repair.status == "pending"
    assert AuditEntry.objects.filter(user=outsider, result="denied", owner_agency=office.agency).exists()


def test_the_desk_costs_the_same_queries_for_1_and_50_applications(office):
    from .disclosure_cast import clones

    record = aged(pending_record(office))
    application(office, record)

    def grow(n):
        have = CreditRepair.objects.count()
        for clone in clones(record, n - have):
            CreditRepair.objects.create(record=clone, applicant="申请人", reason="理由", applied_on=timezone.localdate(),
                                        recorded_by=office.officer)

    assert_constant_queries(signed_in(office.head), URL, grow)
