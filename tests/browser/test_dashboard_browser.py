"""The dashboard in a real browser: every chart drawn by ECharts (a canvas
in each chart's box) from its data island, the table behind a chart opened
by its toggle, the filters applied; no console error and no CSP violation
on the way. The screenshot dashboard.png shows what a head sees."""

import pytest
from playwright.sync_api import expect

from tests.statistics.dataset import YEAR, build

from .conftest import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
WATCH_CSP = """window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});"""


def test_the_dashboard_draws_every_chart(live_url, chromium, screenshot):
    world = build()
    page = signed_in_page(chromium, live_url, world.office.head, viewport=DESKTOP)
    page.add_init_script(WATCH_CSP)
    page.goto(f"{live_url}/dashboard/?year={YEAR}")
    charts = page.locator("[data-chart]")
    count = charts.count()
    assert count == 10
    expect(page.locator("[data-chart][data-drawn] canvas")).to_have_count(count)
    for i in range(count):
        box = charts.nth(i).bounding_box()
        assert box["width"] > 200 and box["height"] > 200
    assert page.locator("h1").inner_text() == "数据看板"

    # The table behind a chart, by its toggle.
    card = page.locator("#card-cases_by_status")
    table = card.locator("table")
    assert not table.is_visible()
    card.locator("summary", has_text="以表格查看").click()
    expect(table).to_be_visible()
    assert "调查中" in table.inner_text()
    card.locator("summary").click()

    screenshot(page, "dashboard")

    # A filter: the district's region, by the form.
    page.select_option("#id_region", "420502")
    page.locator("#statistics-filters button[type=submit]").click()
    page.wait_for_url(f"**/dashboard/?year={YEAR}&region=420502")
    expect(page.locator("[data-chart][data-drawn] canvas")).to_have_count(count)
    page.locator("#card-cases_by_status summary").click()
    assert "审核中" not in page.locator("#card-cases_by_status table").inner_text()

    assert page.evaluate("window.__csp") == []
    assert page.problems == []


def test_the_report_page_downloads_the_workbook(live_url, chromium):
    world = build()
    page = signed_in_page(chromium, live_url, world.office.head, viewport=DESKTOP)
    page.goto(f"{live_url}/statistics/?year={YEAR}")
    assert page.locator("h1").inner_text() == "统计报表"
    with page.expect_download() as download:
        page.locator("#download-xlsx").click()
    assert download.value.suggested_filename == f"统计报表-{YEAR}.xlsx"
    assert page.problems == []
