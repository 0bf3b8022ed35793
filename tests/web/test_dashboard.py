"""/dashboard/ and /statistics/ (数据看板, 统计报表): who opens them (heads,
reviewers, auditors, supervisors, platform administrators; anyone else a
404), what they count (the known set of tests/statistics/dataset.py), the
charts' data islands (CSP-safe), constant queries, bad filters at their
field, one audit entry per read, the XLSX report and the plan's targets."""

import io
import html
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from agencies.roles import Role
from casehub import statistics
from casehub.models import AuditEntry, Case, IndicatorTarget
from tests.factories import UserFactory, make_case, member
from tests.statistics.dataset import YEAR, build

from .helpers import assert_constant_queries, queries_for, signed_in

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("web:dashboard")
REPORT = reverse("web:statistics-report")
XLSX = reverse("web:statistics-xlsx")
TARGETS = reverse("web:statistics-target")


@pytest.fixture
def world():
    return build()


@pytest.fixture
def admin():
    return UserFactory(username="platform-admin", is_superuser=True, is_staff=True)


def islands(page: str) -> dict:
    """The tables behind the charts, by name, from their data-chart attributes."""
    found = (json.loads(html.unescape(body)) for body in re.findall(r'data-chart="([^"]*)"', page))
    return {table["name"]: table for table in found}


def test_the_head_sees_every_table_with_its_chart_and_table(world):
    response = signed_in(world.office.head).get(DASHBOARD, {"year": YEAR})
    page = response.content.decode()
    assert response.status_code == 200
    for definition in statistics.tables():
        assert f'id="card-{definition.name}"' in page and f'id="table-{definition.name}"' in page
    charts = islands(page)
    assert set(charts) == {"cases_by_status", "cases_by_ip_type", "cases_by_kind", "cases_by_campaign",
                           "cases_by_region", "cases_by_month", "timeliness", "overdue_now",
                           "transfers_by_kind_step", "penalties_by_ip_type"}
    assert len(re.findall(r'data-chart="', page)) == len(charts)
    assert {r[0]: r[2] for r in charts["cases_by_status"]["rows"]} == {
        "lead": 1, "investigating": 1, "under_review": 1, "decided": 1, "closed": 1}
    assert charts["timeliness"]["rows"][0][2:] == [4, 3, 1, 75.0]
    # Every script is a file of ours: nothing inline, not even data.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "casehub/vendor/echarts/echarts.min.js" in page and "casehub/dashboard.js" in page
    assert " style=" not in page and " onclick=" not in page
    assert "数据看板" in page and "以表格查看" in page and "案件状态分布" in page


def test_the_table_under_a_chart_shows_the_figures(world):
    page = signed_in(world.office.head).get(DASHBOARD, {"year": YEAR}).content.decode()
    penalties = page[page.index('id="table-penalties_by_ip_type"'):]
    penalties = penalties[:penalties.index("</table>")]
    assert "商标" in penalties and "¥15,000.00" in penalties and "¥2,000.00" in penalties
    police = page[page.index('id="table-transfers_to_police"'):]
    assert "66.7" in police[:police.index("</table>")]


@pytest.mark.parametrize("role", [Role.HEAD, Role.REVIEWER, Role.AUDITOR])
def test_each_statistics_role_opens_both_pages(world, role):
    user = member(world.office.agency, role, username=f"stats-{role}")
    assert signed_in(user).get(DASHBOARD).status_code == 200
    assert signed_in(user).get(REPORT).status_code == 200


def test_the_procuratorate_sees_what_it_supervises(world):
    charts = islands(signed_in(world.supervisor).get(DASHBOARD, {"year": YEAR}).content.decode())
    assert {r[0]: r[2] for r in charts["cases_by_status"]["rows"]} == {
        "investigating": 1, "under_review": 1, "decided": 1}


def test_the_platform_sees_all_and_sets_targets(world, admin):
    page = signed_in(admin).get(DASHBOARD, {"year": YEAR}).content.decode()
    assert sum(r[2] for r in islands(page)["cases_by_status"]["rows"]) == 6
    assert 'id="plan-targets"' in page and f'value="{YEAR}"' in page


def test_the_outsider_counts_only_its_own(world):
    charts = islands(signed_in(world.outsider.head).get(DASHBOARD, {"year": YEAR}).content.decode())
    assert charts["cases_by_region"]["rows"] == [["421000", "荆州市", 1]]


@pytest.mark.parametrize("who", ["officer", "outsider_officer", "stranger", "police_officer"])
def test_without_a_statistics_role_both_pages_are_not_found(world, who):
    user = {"officer": world.office.officer, "outsider_officer": world.outsider.officer,
            "stranger": UserFactory(username="no-agency"),
            "police_officer": member(world.police, Role.OFFICER, username="police-officer")}[who]
    client = signed_in(user)
    before = AuditEntry.objects.count()
    for url in (DASHBOARD, REPORT, XLSX):
        assert client.get(url).status_code == 404
    assert AuditEntry.objects.count() == before + 3  # each attempt is on record, denied
    assert client.post(TARGETS, {"year": YEAR, "indicator": "enforcement_cases", "target": "5"}).status_code == 404
    assert not IndicatorTarget.objects.filter(target=5).exists()


def test_signed_out_goes_to_the_login(client):
    assert client.get(DASHBOARD).status_code == 302


def test_the_nav_shows_the_statistics_to_those_who_read_them(world):
    page = signed_in(world.office.head).get(reverse("web:workbench")).content.decode()
    assert f'href="{DASHBOARD}"' in page and f'href="{REPORT}"' in page
    page = signed_in(world.office.officer).get(reverse("web:workbench")).content.decode()
    assert f'href="{DASHBOARD}"' not in page


def test_a_region_filter(world):
    charts = islands(signed_in(world.office.head).get(DASHBOARD, {"year": YEAR, "region": "420502"}).content.decode())
    assert {r[0]: r[2] for r in charts["cases_by_status"]["rows"]} == {"lead": 1, "investigating": 1}


@pytest.mark.parametrize("url", [DASHBOARD, REPORT, XLSX])
def test_bad_filters_show_at_their_field(world, url):
    response = signed_in(world.office.head).get(url, {"year": "19x", "region": "nowhere"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_year-errors"' in page and 'id="id_region-errors"' in page
    assert "请输入2000至" in page and "请从列表中选择行政区划" in page
    assert "data-chart=" not in page


def test_each_page_read_is_audited_once(world):
    client = signed_in(world.office.head)
    before = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    client.get(DASHBOARD, {"year": YEAR})
    entries = list(AuditEntry.objects.filter(seq__gt=before).values_list("action", "object_id", "result", "detail"))
    assert entries == [("statistics.read", "report", "allowed", {"filters": {"year": str(YEAR)}})]


def test_queries_are_constant_in_the_data(world):
    office = world.office

    def growing(title):
        def grow(n):
            for _ in range(n - Case.objects.filter(title=title).count()):
                make_case(office, title=title)
        return grow

    one = assert_constant_queries(signed_in(office.head), DASHBOARD, growing("看板"))
    assert one < 60
    assert_constant_queries(signed_in(office.head), REPORT, growing("报表"))


def test_the_report_lists_every_table_and_links_the_download(world):
    page = signed_in(world.office.head).get(REPORT, {"year": YEAR, "region": "420500"}).content.decode()
    for definition in statistics.tables():
        assert f'id="report-{definition.name}"' in page
    assert f'href="{XLSX}?year={YEAR}&amp;region=420500"' in page
    assert "data-chart=" not in page  # tables only


def test_the_xlsx_report_has_one_sheet_per_table_with_its_figures(world):
    client = signed_in(world.office.head)
    before = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    response = client.get(XLSX, {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    titles = [str(d.title) for d in statistics.tables()]
    assert book.sheetnames == [t[:31] for t in titles]
    status = [list(r) for r in book["案件状态分布"].iter_rows(values_only=True)]
    assert status[0][0] == "案件状态分布" and status[1][0] == f"年份: {YEAR}"
    assert status[2] == ["状态", "案件"]
    assert status[3:] == [["线索", 1], ["调查中", 1], ["审核中", 1], ["已作出决定", 1], ["已结案", 1]]
    penalties = [list(r) for r in book["按知识产权类型统计罚没金额"].iter_rows(values_only=True)]
    assert penalties[3] == ["商标", 2, 15000, 2000]
    timeliness = [list(r) for r in book["办案及时率"].iter_rows(values_only=True)]
    assert timeliness[3] == ["按期立案", 4, 3, 1, 75]
    infringers = [list(r) for r in book["重复侵权主体"].iter_rows(values_only=True)]
    assert infringers[3] == ["91420500MA4X000001", "宜昌甲商贸有限公司", 3]
    entries = list(AuditEntry.objects.filter(seq__gt=before).values_list("action", "result", "detail"))
    assert entries == [("statistics.export", "allowed", {"filters": {"year": str(YEAR)}, "format": "xlsx"})]


def test_the_platform_admin_sets_a_target(world, admin):
    client = signed_in(admin)
    response = client.post(TARGETS, {"year": YEAR, "indicator": "enforcement_cases", "target": "12"}, follow=True)
    assert response.status_code == 200 and "已保存目标" in response.content.decode()
    assert IndicatorTarget.objects.get(year=YEAR, indicator="enforcement_cases").target == Decimal("12.00")
    entry = AuditEntry.objects.filter(action="statistics.set_target").order_by("-seq").first()
    assert (entry.action, entry.result, entry.user_id) == ("statistics.set_target", "allowed", admin.pk)
    charts = signed_in(world.office.head).get(DASHBOARD, {"year": YEAR}).content.decode()
    assert "33.3" in charts  # the plan's indicators table: 4 of 12
    client.post(TARGETS, {"year": YEAR, "indicator": "enforcement_cases", "target": ""})
    assert not IndicatorTarget.objects.filter(year=YEAR, indicator="enforcement_cases").exists()


@pytest.mark.parametrize("data, message", [
    ({"indicator": "enforcement_cases", "target": "-1"}, "请输入不小于零的数字"),
    ({"indicator": "enforcement_cases", "target": "many"}, "请输入不小于零的数字"),
    ({"indicator": "nothing", "target": "5"}, "请从列表中选择指标"),
])
def test_a_bad_target_is_refused_and_nothing_stored(world, admin, data, message):
    before = IndicatorTarget.objects.count()
    response = signed_in(admin).post(TARGETS, {"year": YEAR, **data}, follow=True)
    assert message in response.content.decode()
    assert IndicatorTarget.objects.count() == before
    assert AuditEntry.objects.filter(action="statistics.set_target").order_by("-seq").first().result == "denied"


def test_a_head_may_not_set_targets(world):
    assert signed_in(world.office.head).post(TARGETS, {"year": YEAR, "indicator": "enforcement_cases",
                                                       "target": "1"}).status_code == 404
    assert not signed_in(world.office.head).get(DASHBOARD).content.decode().count('id="plan-targets"')


def test_queries_for_one_dashboard(world):
    count, _ = queries_for(signed_in(world.office.head), DASHBOARD)
    assert count < 60
