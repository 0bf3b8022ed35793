"""/cases/export.csv and /cases/export.xlsx — the filtered case list as a
file: the list's rows exactly, permission-filtered like the list, walked in
keyset pages, streamed, audited once."""

import csv
import io
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casehub import access
from casehub.models import AuditEntry, Case
from tests.factories import make_case

from .helpers import signed_in

pytestmark = pytest.mark.django_db
HEADERS = ["案件编号", "案件名称", "状态", "承办单位", "知识产权类型", "案件类型", "案件来源", "专项行动", "行政区划",
           "涉案金额（元）", "线索接收日期", "立案日期", "决定日期", "下一期限", "是否逾期"]


def export_url(fmt, **params):
    query = urlencode(params, doseq=True)
    return reverse("web:case-export", args=[fmt]) + (f"?{query}" if query else "")


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads the Chinese as UTF-8
    return list(csv.reader(io.StringIO(body[1:])))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def listed_numbers(client, **params) -> list[str]:
    response = client.get(reverse("web:case-list") + "?" + urlencode({**params, "page_size": 200}, doseq=True))
    return [row["number"] for row in response.context["rows"]]


def header_labels(rows):
    # A header cell reads as its label (capitalised for English; the same in Chinese).
    return [str(h) for h in rows[0]]


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(export_url("csv"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


@pytest.fixture
def cases(office):
    today = timezone.localdate()
    made = [make_case(office, title=f"销售假冒商品案{i}", campaign="铁拳" if i % 2 else "") for i in range(5)]
    Case.objects.filter(pk=made[0].pk).update(next_deadline_on=today - timedelta(days=1))
    return made


def test_csv_holds_the_list_s_rows_in_every_keyset_page(office, cases, monkeypatch):
    monkeypatch.setattr("casehub.listing.page.WALK_BATCH", 2)  # 5 rows: three pages
    client = signed_in(office.officer)
    rows = csv_rows(client.get(export_url("csv", campaign="铁拳")))
    assert header_labels(rows) == HEADERS
    assert [r[0] for r in rows[1:]] == listed_numbers(client, campaign="铁拳") == [cases[3].number, cases[1].number]
    everything = csv_rows(client.get(export_url("csv", order="deadline")))
    assert [r[0] for r in everything[1:]] == listed_numbers(client, order="deadline")
    first = everything[1]
    assert first[0] == cases[0].number and first[2] == "线索" and first[3] == office.agency.name
    assert first[4] == "商标" and first[9] == "86000.00" and first[14] == "是"


def test_xlsx_holds_the_same_rows_with_dates_as_dates(office, cases):
    client = signed_in(office.officer)
    response = client.get(export_url("xlsx", status="lead"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = xlsx_rows(response)
    assert header_labels(rows) == HEADERS
    assert [r[0] for r in rows[1:]] == listed_numbers(client, status="lead")
    assert rows[1][10].date() == cases[-1].lead_received_on


def test_another_agency_s_cases_are_not_exported(office, cases, outsider):
    client = signed_in(outsider)
    assert csv_rows(client.get(export_url("csv"))) == [HEADERS]
    assert xlsx_rows(client.get(export_url("xlsx"))) == [HEADERS]
    # Shared with the outsider's agency: that one case, as in the outsider's list.
    access.grant_case(cases[2], outsider.memberships.get().agency)
    rows = csv_rows(signed_in(type(outsider).objects.get(pk=outsider.pk)).get(export_url("csv")))
    assert [r[0] for r in rows[1:]] == [cases[2].number]


def test_each_export_is_audited_once_with_its_filters_format_and_rows(office, cases):
    client = signed_in(office.officer)
    before = AuditEntry.objects.filter(action="case.export").count()
    csv_rows(client.get(export_url("csv", campaign="铁拳", status=["lead", "filed"], cursor="bjEw", page_size=3)))
    entries = AuditEntry.objects.filter(action="case.export").order_by("seq")
    assert entries.count() == before + 1
    entry = entries.last()
    assert entry.user_id == office.officer.pk and entry.agency_id == office.agency.pk
    assert entry.result == AuditEntry.RESULT_ALLOWED
    assert entry.detail["format"] == "csv" and entry.detail["rows"] == 2 and entry.detail["order"] == "-id"
    assert entry.detail["filters"] == {"campaign": "铁拳", "status": ["lead", "filed"]}
    xlsx_rows(client.get(export_url("xlsx", campaign="蓝天")))
    last = AuditEntry.objects.filter(action="case.export").order_by("seq").last()
    assert last.detail["format"] == "xlsx" and last.detail["rows"] == 0


def test_an_export_of_no_rows_is_a_file_with_its_headers(office):
    client = signed_in(office.officer)
    assert csv_rows(client.get(export_url("csv"))) == [HEADERS]
    assert xlsx_rows(client.get(export_url("xlsx"))) == [HEADERS]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("params,field", [
    ({"status": "bogus"}, "status"),
    ({"due_before": "2026-02-30"}, "due_before"),
    ({"created_after": "2026-05-01", "created_before": "2026-01-01"}, "created_after"),
    ({"overdue": "maybe"}, "overdue"),
])
def test_bad_filters_are_a_400_showing_the_fields_and_export_nothing(office, cases, fmt, params, field):
    client = signed_in(office.officer)
    response = client.get(export_url(fmt, **params))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors[field]
    assert "筛选条件有误" in response.content.decode()
    assert not AuditEntry.objects.filter(action="case.export").exists()


def test_an_unknown_format_is_not_a_route(office):
    assert signed_in(office.officer).get("/cases/export.pdf").status_code == 404


def test_under_asgi_the_csv_streams_as_an_asynchronous_iterator(office, cases):
    # Django would otherwise read a synchronous iterator whole before sending it.
    from asgiref.sync import async_to_sync
    from django.test import AsyncClient

    async def fetch():
        client = AsyncClient()
        await client.aforce_login(office.officer)
        response = await client.get(export_url("csv"))
        return response, b"".join([chunk async for chunk in response.streaming_content])

    response, body = async_to_sync(fetch)()
    assert response.is_async
    assert [r[0] for r in csv.reader(io.StringIO(body.decode("utf-8")[1:]))][1:] == [c.number for c in reversed(cases)]


def test_no_cell_of_either_file_runs_as_a_formula(office):
    """A title typed by anyone (a lead from a complaint) is text in Excel, never a formula."""
    hostile = '=HYPERLINK("http://x.example","点此")'
    make_case(office, title=hostile)
    client = signed_in(office.officer)
    (row,) = csv_rows(client.get(export_url("csv")))[1:]
    assert row[1] == "'" + hostile
    workbook = load_workbook(io.BytesIO(b"".join(client.get(export_url("xlsx")).streaming_content)))
    cell = workbook.worksheets[0]["B2"]
    assert cell.value == hostile and cell.data_type == "s"
