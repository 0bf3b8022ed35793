"""/disclosures/ — the agency's disclosure records: pending with the
20-working-day countdown and the late flag, public, corrected, revoked,
expired; filters (HTMX swaps the rows, the URL is pushed), keyset pages,
constant queries; another agency's records are not there."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosure import services
from disclosure.models import DisclosureRecord
from disclosure.web_desk import records as desk

from .disclosure_cast import clones, pending_record, published_record
from .helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db
URL = reverse("web:disclosures")


def rows_of(page: str) -> int:
    return page.count('<tr id="disclosure-')


def test_the_reviewer_sees_a_pending_record_with_its_countdown(office):
    record = pending_record(office)
    page = signed_in(office.reviewer).get(URL).content.decode()
    assert "公示管理" in page and record.decision_number in page and "宜昌某某商贸有限公司" in page
    assert "待审核" in page and "剩余 20 个工作日" in page  # decided today: 20 working days to publish
    assert f'href="{reverse("web:disclosure", args=[record.pk])}"' in page
    # The navigation lists the desk for a reviewer.
    assert f'href="{URL}" aria-current="page"' in page


def test_a_record_past_its_20_working_days_is_flagged_late(office):
    record = pending_record(office)
    DisclosureRecord.objects.filter(pk=record.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    services.remind()
    page = signed_in(office.head).get(URL).content.decode()
    assert "已逾期 3 天" in page and "badge-late" in page
    late = signed_in(office.head).get(URL, {"late": "true"}).content.decode()
    on_time = signed_in(office.head).get(URL, {"late": "false"}).content.decode()
    assert rows_of(late) == 1 and rows_of(on_time) == 0


def test_the_statuses_filter_published_corrected_revoked(office):
    pending = pending_record(office, number="宜市监处罚〔2026〕1号")
    public = published_record(office, number="宜市监处罚〔2026〕2号")
    corrected = published_record(office, number="宜市监处罚〔2026〕3号")
    services.correct(actor=office.reviewer, record_id=corrected.pk, changes={"fine_amount": "120000.00"}, note="复议变更")
    revoked = published_record(office, number="宜市监处罚〔2026〕4号")
    services.correct(actor=office.reviewer, record_id=revoked.pk, note="决定已撤销", revoked=True)
    client = signed_in(office.reviewer)

    def numbers(**query):
        page = client.get(URL, query).content.decode()
        return {r.decision_number for r in (pending, public, corrected, revoked) if r.decision_number in page}

    assert numbers() == {"宜市监处罚〔2026〕1号", "宜市监处罚〔2026〕2号", "宜市监处罚〔2026〕3号", "宜市监处罚〔2026〕4号"}
    assert numbers(status="pending") == {"宜市监处罚〔2026〕1号"}
    assert numbers(status="published") == {"宜市监处罚〔2026〕2号", "宜市监处罚〔2026〕3号"}
    assert numbers(status="corrected") == {"宜市监处罚〔2026〕3号"}
    assert numbers(status="revoked") == {"宜市监处罚〔2026〕4号"}
    assert "处罚决定已撤销" in client.get(URL, {"status": "withdrawn"}).content.decode()


def test_filters_by_ip_type_enterprise_and_dates(office):
    pending_record(office, company="宜昌甲公司", number="宜市监处罚〔2026〕11号")
    old = pending_record(office, company="宜昌乙公司", number="宜市监处罚〔2026〕12号")
    DisclosureRecord.objects.filter(pk=old.pk).update(decision_date=timezone.localdate() - timedelta(days=40),
                                                      ip_type="patent")
    client = signed_in(office.reviewer)
    assert rows_of(client.get(URL, {"enterprise": "甲公司"}).content.decode()) == 1
    assert rows_of(client.get(URL, {"ip_type": "trademark"}).content.decode()) == 1
    since = (timezone.localdate() - timedelta(days=10)).isoformat()
    page = client.get(URL, {"decided_after": since}).content.decode()
    assert rows_of(page) == 1 and "宜昌甲公司" in page


def test_htmx_gets_the_rows_only_and_the_form_pushes_the_url(office):
    pending_record(office)
    client = signed_in(office.reviewer)
    page = client.get(URL).content.decode()
    assert 'hx-target="#disclosure-rows"' in page and 'hx-push-url="true"' in page
    rows = client.get(URL, {"status": "pending"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in rows and rows_of(rows) == 1 and 'id="filter-summary" hx-swap-oob="true"' in rows


@pytest.mark.parametrize("query, field", [({"decided_after": "2026-13-45"}, "decided_after"),
                                          ({"status": "whatever"}, "status"), ({"late": "maybe"}, "late"),
                                          ({"decided_after": "2026-05-01", "decided_before": "2026-04-01"},
                                           "decided_before")])
def test_a_bad_filter_is_shown_at_its_field_with_no_rows(office, query, field):
    pending_record(office)
    client = signed_in(office.reviewer)
    response = client.get(URL, query)
    page = response.content.decode()
    assert response.status_code == 200 and rows_of(page) == 0
    assert f'id="errors-{field}"><ul class="errorlist' in page
    fragment = client.get(URL, query, HTTP_HX_REQUEST="true").content.decode()
    assert f'id="errors-{field}" hx-swap-oob="true"><ul class="errorlist' in fragment


def test_keyset_pages_newest_first(office, monkeypatch):
    monkeypatch.setattr(desk, "PAGE_SIZE", 2)
    record = pending_record(office)
    made = clones(record, 4)
    client = signed_in(office.reviewer)
    first = client.get(URL).content.decode()
    assert rows_of(first) == 2 and f"disclosure-{made[-1].pk}" in first and 'rel="next"' in first
    older = f"{URL}?before={made[-2].pk}"
    assert older.replace("?", "?") in first.replace("&amp;", "&")
    second = client.get(older).content.decode()
    assert f"disclosure-{made[-3].pk}" in second and f"disclosure-{made[-1].pk}" not in second
    assert 'rel="prev"' in second


def test_the_filters_stay_in_the_pages_links(office, monkeypatch):
    monkeypatch.setattr(desk, "PAGE_SIZE", 1)
    clones(pending_record(office), 2)
    page = signed_in(office.reviewer).get(URL, {"status": "pending"}).content.decode().replace("&amp;", "&")
    assert "status=pending&before=" in page


def test_another_agencys_records_are_not_listed(office, outsider):
    record = pending_record(office)
    page = signed_in(outsider).get(URL).content.decode()
    assert rows_of(page) == 0 and record.decision_number not in page
    assert signed_in(outsider).get(reverse("web:disclosure", args=[record.pk])).status_code == 404


def test_the_list_costs_the_same_queries_for_1_and_50_records(office):
    record = pending_record(office)
    published = published_record(office, number="宜市监处罚〔2026〕90号")

    def grow(n):
        have = DisclosureRecord.objects.filter(agency=office.agency).count()
        if n > have:
            clones(record, (n - have) // 2)
            clones(published, n - have - (n - have) // 2)

    assert_constant_queries(signed_in(office.reviewer), URL, grow)
    assert_constant_queries(signed_in(office.reviewer), URL + "?status=pending", grow)
