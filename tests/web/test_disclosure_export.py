"""/disclosures/export.csv|xlsx and /credit-repairs/export.csv|xlsx — the
disclosure desk and the credit-repair desk as files: the desk's rows and
filters exactly (only the user's agencies' records), the full names the
agency sees, Chinese headers, audited once; a bad filter is the desk with
the field marked (400) and exports nothing; queries constant per page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casehub.models import AuditEntry
from disclosure.models import CreditRepair

from .disclosure_cast import COMPANY, aged, application, clones, pending_record, published_record
from .helpers import signed_in
from .test_desk_export import _queries, csv_rows, export, xlsx_rows

pytestmark = pytest.mark.django_db
RECORD_HEADERS = ["决定书文号", "当事人", "统一社会信用代码", "知识产权类型", "违法行为类型", "作出决定的机关", "决定日期",
                  "状态", "应公示日期", "逾期公示", "公示日期", "公示截止日期"]
REPAIR_HEADERS = ["当事人", "统一社会信用代码", "决定书文号", "作出决定的机关", "申请人", "申请日期", "申请理由", "状态",
                  "决定时间", "决定人", "决定理由"]


def test_anonymous_is_sent_to_sign_in():
    from .case_tabs import assert_sign_in_redirect

    assert_sign_in_redirect(reverse("web:disclosures-export", args=["csv"]))
    assert_sign_in_redirect(reverse("web:credit-repairs-export", args=["xlsx"]))


# --- disclosure records ------------------------------------------------------------
def test_the_records_csv_holds_the_desk_s_rows_and_columns(office, monkeypatch):
    monkeypatch.setattr("casehub.services.desks.WALK_BATCH", 2)  # several keyset pages
    pending = pending_record(office, number="宜市监处罚〔2026〕1号")
    more = clones(pending, 2, late=True)
    public = published_record(office, number="宜市监处罚〔2026〕2号")
    rows = csv_rows(export(office.reviewer, "web:disclosures-export", "csv"))
    assert rows[0] == RECORD_HEADERS and len(rows) == 5
    assert rows[1][0] == public.decision_number and rows[1][7] == "公示中" and rows[1][10]  # newest first
    assert rows[2][1] == more[-1].party_name and rows[2][9] == "是"  # the full name, as the agency sees it
    last = rows[-1]
    assert last[1] == COMPANY and last[2] == pending.credit_code and last[5] == office.agency.name
    assert last[6] == pending.decision_date.isoformat() and last[7] == "待审核" and last[9] == ""
    # The desk's filters.
    late = csv_rows(export(office.reviewer, "web:disclosures-export", "csv", late="true"))
    assert [r[1] for r in late[1:]] == [m.party_name for m in reversed(more)]
    published = csv_rows(export(office.reviewer, "web:disclosures-export", "csv", status="published"))
    assert [r[0] for r in published[1:]] == [public.decision_number]


def test_the_records_xlsx_has_dates_as_dates(office):
    record = pending_record(office)
    rows = xlsx_rows(export(office.head, "web:disclosures-export", "xlsx", enterprise=COMPANY))
    assert [str(h) for h in rows[0]] == RECORD_HEADERS and len(rows) == 2
    assert rows[1][0] == record.decision_number and rows[1][6].date() == record.decision_date
    assert rows[1][8].date() == record.due_on


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_outsider_exports_none_of_the_records(office, outsider, fmt):
    pending_record(office)
    read = csv_rows if fmt == "csv" else xlsx_rows
    assert [[str(c) for c in r] for r in read(export(outsider, "web:disclosures-export", fmt))] == [RECORD_HEADERS]


def test_a_records_export_is_audited_once_with_its_filters(office):
    pending_record(office)
    csv_rows(export(office.reviewer, "web:disclosures-export", "csv", status="pending", before="99"))
    entry = AuditEntry.objects.get(action="disclosure.export")
    assert entry.user_id == office.reviewer.pk and entry.result == AuditEntry.RESULT_ALLOWED
    assert entry.detail == {"filters": {"status": "pending"}, "format": "csv", "rows": 1}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_bad_records_filter_is_a_400_at_its_field(office, fmt):
    pending_record(office)
    response = export(office.reviewer, "web:disclosures-export", fmt, status="bogus")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors["status"] and "请更正标红的筛选条件" in response.content.decode()
    assert not AuditEntry.objects.filter(action="disclosure.export").exists()


def test_a_records_export_costs_constant_queries_per_page(office, monkeypatch):
    monkeypatch.setattr("casehub.services.desks.WALK_BATCH", 5)
    record = pending_record(office)
    client = signed_in(office.reviewer)
    path = reverse("web:disclosures-export", args=["csv"])
    _queries(client, path, {})  # warm
    one = _queries(client, path, {})
    clones(record, 3)  # 4 rows: one page
    assert _queries(client, path, {}) == one
    clones(record, 8)  # 12 rows: three pages
    assert _queries(client, path, {}) == one + 2


def test_the_records_filter_bar_offers_the_export_of_its_filters(office):
    pending_record(office)
    client = signed_in(office.reviewer)
    html = client.get(reverse("web:disclosures"), {"status": "pending", "before": "9"}).content.decode()
    assert f'href="{reverse("web:disclosures-export", args=["csv"])}?status=pending"' in html
    assert "导出 CSV" in html and "导出 Excel" in html
    swapped = client.get(reverse("web:disclosures"), {"late": "true"}, HTTP_HX_REQUEST="true",
                         HTTP_HX_TARGET="disclosure-rows").content.decode()
    assert 'id="disclosure-export" class="desk-export" hx-swap-oob="true"' in swapped
    assert "export.xlsx?late=true" in swapped


# --- credit repairs ------------------------------------------------------------------
def _applied(office, n=1):
    record = aged(published_record(office))
    first = application(office, record)
    copies = CreditRepair.objects.bulk_create([
        CreditRepair(record=record, applicant=f"申请人{i}", reason="已整改", applied_on=timezone.localdate(),
                     recorded_by=office.officer, status="refused", decided_by=office.head,
                     decided_at=timezone.now() - timedelta(hours=1), decision_reason="不符合条件")
        for i in range(n)])
    return record, first, copies


def test_the_repairs_csv_lists_pending_first_with_the_desk_s_columns(office, monkeypatch):
    monkeypatch.setattr("casehub.services.desks.WALK_BATCH", 2)
    record, first, copies = _applied(office, 3)
    rows = csv_rows(export(office.head, "web:credit-repairs-export", "csv"))
    assert rows[0] == REPAIR_HEADERS and len(rows) == 5
    assert rows[1][4] == first.applicant and rows[1][7] == "待决定" and rows[1][8] == ""  # pending first
    assert [r[4] for r in rows[2:]] == [c.applicant for c in reversed(copies)]  # then the decided, newest first
    decided = rows[2]
    assert decided[0] == COMPANY and decided[2] == record.decision_number and decided[3] == office.agency.name
    assert decided[9] == office.head.display_name and decided[10] == "不符合条件" and decided[8][:4].isdigit()
    refused = csv_rows(export(office.head, "web:credit-repairs-export", "csv", status="refused"))
    assert len(refused) == 4 and all(r[7] == refused[1][7] != "待决定" for r in refused[1:])


def test_the_repairs_xlsx_has_dates_as_dates(office):
    _record, first, _copies = _applied(office, 0)
    rows = xlsx_rows(export(office.officer, "web:credit-repairs-export", "xlsx"))
    assert [str(h) for h in rows[0]] == REPAIR_HEADERS and len(rows) == 2
    assert rows[1][5].date() == first.applied_on


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_outsider_exports_none_of_the_repairs(office, outsider, fmt):
    _applied(office, 2)
    read = csv_rows if fmt == "csv" else xlsx_rows
    assert [[str(c) for c in r] for r in read(export(outsider, "web:credit-repairs-export", fmt))] == [REPAIR_HEADERS]


def test_a_repairs_export_is_audited_once(office):
    _applied(office, 1)
    xlsx_rows(export(office.head, "web:credit-repairs-export", "xlsx", status="pending"))
    entry = AuditEntry.objects.get(action="credit_repair.export")
    assert entry.detail == {"filters": {"status": "pending"}, "format": "xlsx", "rows": 1}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_bad_repairs_filter_is_a_400_at_its_field(office, fmt):
    _applied(office, 0)
    response = export(office.head, "web:credit-repairs-export", fmt, applied_after="2026-05-01",
                      applied_before="2026-01-01")
    assert response.status_code == 400 and response.context["form"].errors["applied_before"]
    assert not AuditEntry.objects.filter(action="credit_repair.export").exists()


def test_a_repairs_export_costs_constant_queries_per_page(office, monkeypatch):
    monkeypatch.setattr("casehub.services.desks.WALK_BATCH", 5)
    record, _first, _copies = _applied(office, 0)
    client = signed_in(office.head)
    path = reverse("web:credit-repairs-export", args=["csv"])

    def grow(n):
        CreditRepair.objects.bulk_create([CreditRepair(record=record, applicant="甲", reason="r", status="refused",
                                                       applied_on=timezone.localdate(), recorded_by=office.officer,
                                                       decided_by=office.head, decided_at=timezone.now())
                                          for _ in range(n)])
    grow(1)
    _queries(client, path, {})  # warm
    one = _queries(client, path, {})  # 1 pending + 1 decided
    grow(3)  # 4 decided: still one page
    assert _queries(client, path, {}) == one
    grow(8)  # 12 decided: three pages
    assert _queries(client, path, {}) == one + 2


def test_the_repairs_filter_bar_offers_the_export(office):
    _applied(office, 0)
    html = signed_in(office.head).get(reverse("web:credit-repairs"), {"status": "pending"}).content.decode()
    assert f'href="{reverse("web:credit-repairs-export", args=["xlsx"])}?status=pending"' in html
