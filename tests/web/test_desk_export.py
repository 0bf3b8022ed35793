"""/transfers/export.csv|xlsx and /assistance/export.csv|xlsx — each desk as
a file, as the case list's export: the desk's filters and rows exactly
(only what the access module lets the user see), every keyset page,
Chinese headers, audited once by the service; a bad filter is the desk
with the field marked (400) and exports nothing; queries constant per page."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casehub.models import AssistanceRequest, AuditEntry, Transfer
from tests.transfers.helpers import Cast as TransferCast
from tests.transfers.helpers import open_filed_case, send_transfer_to_police

from .assistance_cast import Cast as AssistanceCast
from .case_tabs import assert_sign_in_redirect
from .helpers import signed_in

pytestmark = pytest.mark.django_db
TRANSFER_HEADERS = ["案件编号", "案件名称", "类型", "移送机关", "接收机关", "监督检察院", "状态", "接收机关案件编号",
                    "当前环节", "环节期限", "是否逾期", "提出时间", "移送时间", "物品和案卷移交时间"]
ASSISTANCE_HEADERS = ["事项", "案件编号", "请求单位", "被请求单位", "请求时间", "答复期限", "状态", "是否逾期", "答复时间"]


def url(name, fmt, **params):
    return reverse(name, args=[fmt]), params


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def export(user, name, fmt, **params):
    return signed_in(user).get(reverse(name, args=[fmt]), params)


def _copies(case_id, n, cast, **fields):
    now = timezone.now()
    values = {"kind": "suspected_crime", "from_agency": cast.market, "to_agency": cast.police,
              "supervising_agency": cast.procuratorate, "status": "sent", "reason": "r", "proposed_by": cast.officer,
              "sent_at": now, "due_step": "decide", "due_at": now + timedelta(days=2), **fields}
    return Transfer.objects.bulk_create([Transfer(case_id=case_id, **values) for _ in range(n)])


# --- transfers -----------------------------------------------------------------
@pytest.fixture
def tcast():
    return TransferCast()


def test_anonymous_is_sent_to_sign_in():
    assert_sign_in_redirect(reverse("web:transfers-export", args=["csv"]))
    assert_sign_in_redirect(reverse("web:assistance-export", args=["xlsx"]))


def test_the_transfers_csv_holds_the_desk_s_rows_and_columns(api, tcast, monkeypatch):
    monkeypatch.setattr("casehub.services.desks.WALK_BATCH", 2)  # several keyset pages
    case_id, sent = send_transfer_to_police(api, tcast)
    late = _copies(case_id, 3, tcast, due_at=timezone.now() - timedelta(days=1))
    rows = csv_rows(export(tcast.police_liaison, "web:transfers-export", "csv", box="incoming"))
    assert rows[0] == TRANSFER_HEADERS
    assert len(rows) == 5 and all(r[1] for r in rows[1:])  # the receiver sees the case's title, as on the desk
    first = rows[1]  # newest first, as the desk
    assert first[0] == Transfer.objects.get(pk=late[-1].pk).case.number
    assert first[2] == "涉嫌犯罪移送（移送公安）"
    assert first[3] == tcast.market.name and first[4] == tcast.police.name and first[5] == tcast.procuratorate.name
    assert first[8] == "公安机关决定是否立案" and first[10] == "是" and first[9][:4].isdigit()
    assert rows[-1][10] == ""  # the transfer sent through the service is not late
    # The desk's filters: overdue only.
    overdue = csv_rows(export(tcast.police_liaison, "web:transfers-export", "csv", overdue="true"))
    assert len(overdue) == 4 and all(r[10] == "是" for r in overdue[1:])
    assert Transfer.objects.get(pk=sent).case.number in {r[0] for r in rows[1:]}


def test_the_transfers_xlsx_has_the_same_rows_with_times_as_times(api, tcast):
    case_id, sent = send_transfer_to_police(api, tcast)
    rows = xlsx_rows(export(tcast.officer, "web:transfers-export", "xlsx", box="outgoing"))
    assert [str(h) for h in rows[0]] == TRANSFER_HEADERS and len(rows) == 2
    transfer = Transfer.objects.get(pk=sent)
    assert rows[1][12] == timezone.localtime(transfer.sent_at).replace(tzinfo=None, second=0, microsecond=0)


def test_an_outsider_exports_none_of_the_transfers(api, tcast):
    case_id, _sent = send_transfer_to_police(api, tcast)
    Transfer.objects.create(case_id=open_filed_case(api, tcast), kind="jurisdiction", from_agency=tcast.market,
                            to_agency=tcast.copyright, reason="管辖", proposed_by=tcast.officer)  # not sent yet
    assert csv_rows(export(tcast.outsider, "web:transfers-export", "csv")) == [TRANSFER_HEADERS]
    assert xlsx_rows(export(tcast.outsider, "web:transfers-export", "xlsx")) == [TRANSFER_HEADERS]
    # The police see the one sent to them, not the sender's proposal.
    assert len(csv_rows(export(tcast.police_liaison, "web:transfers-export", "csv"))) == 2


def test_a_transfers_export_is_audited_once_with_its_filters(api, tcast):
    send_transfer_to_police(api, tcast)
    csv_rows(export(tcast.police_liaison, "web:transfers-export", "csv", box="incoming", kind="suspected_crime",
                    before="99"))
    entries = AuditEntry.objects.filter(action="transfer.export")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.user_id == tcast.police_liaison.pk and entry.result == AuditEntry.RESULT_ALLOWED
    assert entry.detail == {"filters": {"box": "incoming", "kind": "suspected_crime"}, "format": "csv", "rows": 1}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_bad_transfers_filter_is_a_400_at_its_field_and_exports_nothing(api, tcast, fmt):
    send_transfer_to_police(api, tcast)
    response = export(tcast.police_liaison, "web:transfers-export", fmt, kind="nonsense", box="supervising")
    html = response.content.decode()
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert 'id="transfers-kind-errors"' in html and "请更正标红的筛选条件" in html
    assert response.context["form"].errors["box"]
    assert not AuditEntry.objects.filter(action="transfer.export").exists()


def _queries(client, path, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
        b"".join(response.streaming_content)
    return len(captured)


def test_a_transfers_export_costs_constant_queries_per_page(api, tcast, monkeypatch):
    monkeypatch.setattr("casehub.services.desks.WALK_BATCH", 5)
    case_id, _sent = send_transfer_to_police(api, tcast)
    client = signed_in(tcast.police_liaison)
    path = reverse("web:transfers-export", args=["csv"])
    _queries(client, path, {"box": "incoming"})  # warm (the session's first request reads more)
    one = _queries(client, path, {"box": "incoming"})
    _copies(case_id, 3, tcast)  # 4 rows: still one page
    assert _queries(client, path, {"box": "incoming"}) == one
    _copies(case_id, 8, tcast)  # 12 rows: three pages, a query each
    assert _queries(client, path, {"box": "incoming"}) == one + 2


def test_the_desk_s_filter_bar_offers_the_export_of_its_filters(api, tcast):
    send_transfer_to_police(api, tcast)
    client = signed_in(tcast.police_liaison)
    html = client.get(reverse("web:transfers"), {"box": "incoming", "kind": "suspected_crime", "before": "9"}).content.decode()
    assert f'href="{reverse("web:transfers-export", args=["csv"])}?box=incoming&amp;kind=suspected_crime"' in html
    assert "导出 CSV" in html and "导出 Excel" in html
    # HTMX: the links follow the filters, out of band; with a bad filter there is none.
    swapped = client.get(reverse("web:transfers"), {"kind": "jurisdiction"}, HTTP_HX_REQUEST="true",
                         HTTP_HX_TARGET="transfer-rows").content.decode()
    assert 'id="transfer-export" class="desk-export" hx-swap-oob="true"' in swapped
    assert "export.xlsx?kind=jurisdiction" in swapped
    bad = client.get(reverse("web:transfers"), {"kind": "x"}, HTTP_HX_REQUEST="true",
                     HTTP_HX_TARGET="transfer-rows").content.decode()
    assert 'id="transfer-export"' in bad and "export.csv" not in bad


# --- assistance ------------------------------------------------------------------
@pytest.fixture
def acast():
    return AssistanceCast()


def _requests(cast, n, **fields):
    values = {"case": cast.case, "from_agency": cast.yichang.agency, "to_agency": cast.jingzhou.agency,
              "subject": "协查", "details": "…", "due_on": date(2030, 1, 1), "requested_by": cast.yichang.officer,
              **fields}
    return AssistanceRequest.objects.bulk_create([AssistanceRequest(**values) for _ in range(n)])


def test_the_assistance_csv_holds_the_desk_s_rows_and_columns(acast, monkeypatch):
    monkeypatch.setattr("casehub.services.desks.WALK_BATCH", 2)
    item = acast.ask()
    (late,) = _requests(acast, 1, due_on=timezone.localdate() - timedelta(days=2))
    rows = csv_rows(export(acast.jingzhou.officer, "web:assistance-export", "csv"))
    assert rows[0] == ASSISTANCE_HEADERS and len(rows) == 3
    assert rows[1][7] == "是" and rows[1][5] == (timezone.localdate() - timedelta(days=2)).isoformat()
    mine = rows[2]
    assert mine[0] == item.subject and mine[1] == acast.case.number
    assert mine[2] == acast.yichang.agency.name and mine[3] == acast.jingzhou.agency.name and mine[7] == ""
    # The asked agency sees the request, not the case: no title in its file.
    body = b"".join(export(acast.jingzhou.officer, "web:assistance-export", "csv").streaming_content).decode()
    assert acast.case.title not in body
    overdue = csv_rows(export(acast.yichang.officer, "web:assistance-export", "csv", overdue="on"))
    assert [r[0] for r in overdue[1:]] == [late.subject]


def test_the_assistance_xlsx_has_dates_as_dates(acast):
    item = acast.ask()
    rows = xlsx_rows(export(acast.yichang.officer, "web:assistance-export", "xlsx", box="outgoing"))
    assert [str(h) for h in rows[0]] == ASSISTANCE_HEADERS and len(rows) == 2
    assert rows[1][5].date() == item.due_on


def test_an_uninvolved_agency_exports_no_assistance(acast):
    acast.ask()
    _requests(acast, 2)
    assert csv_rows(export(acast.jingmen.officer, "web:assistance-export", "csv")) == [ASSISTANCE_HEADERS]
    assert xlsx_rows(export(acast.jingmen.officer, "web:assistance-export", "xlsx")) == [ASSISTANCE_HEADERS]


def test_an_assistance_export_is_audited_once(acast):
    acast.ask()
    xlsx_rows(export(acast.jingzhou.officer, "web:assistance-export", "xlsx", box="incoming", open="on"))
    entry = AuditEntry.objects.get(action="assistance.export")
    assert entry.detail == {"filters": {"box": "incoming", "open": True}, "format": "xlsx", "rows": 1}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_bad_assistance_filter_is_a_400_at_its_field(acast, fmt):
    acast.ask()
    response = export(acast.yichang.officer, "web:assistance-export", fmt, status="bogus")
    html = response.content.decode()
    assert response.status_code == 400 and 'id="desk-status-errors"' in html and "请更正标红的筛选条件" in html
    assert not AuditEntry.objects.filter(action="assistance.export").exists()


def test_an_assistance_export_costs_constant_queries_per_page(acast, monkeypatch):
    monkeypatch.setattr("casehub.services.desks.WALK_BATCH", 5)
    acast.ask()
    client = signed_in(acast.yichang.officer)
    path = reverse("web:assistance-export", args=["csv"])
    _queries(client, path, {})  # warm
    one = _queries(client, path, {})
    _requests(acast, 3)
    assert _queries(client, path, {}) == one
    _requests(acast, 8)
    assert _queries(client, path, {}) == one + 2


def test_the_assistance_filter_bar_offers_the_export(acast):
    acast.ask()
    html = signed_in(acast.yichang.officer).get(reverse("web:assistance"), {"box": "outgoing"}).content.decode()
    assert f'href="{reverse("web:assistance-export", args=["xlsx"])}?box=outgoing"' in html
