"""The public credit portal in a real browser, on a phone (390×844) and on a
desktop: search by an enterprise's name (the results swapped by HTMX, the
address pushed), a bad date shown at its field, open a record and read its
revisions. No sign-in; no script or style the CSP would block."""

import pytest

from disclosure import services
from disclosure.models import DisclosureRecord
from tests.disclosure.portal_helpers import copies, publish_case
from tests.factories import Office

from .conftest import SCREENSHOTS, watched_page

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def public(db):
    office = Office()
    case = publish_case(office)
    company = DisclosureRecord.objects.get(case=case, party_kind="enterprise")
    services.correct(actor=office.head, record_id=company.pk, changes={"fine_amount": "120000.00"},
                     note="行政复议决定变更罚款金额")
    copies(company, 24, name="荆州市某某电子科技有限公司")
    return company


@pytest.mark.parametrize("viewport, name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_search_by_name_and_open_a_record(public, live_url, chromium, screenshot, viewport, name):
    page = watched_page(chromium, viewport, has_touch=viewport is PHONE)
    page.goto(f"{live_url}/public/disclosures/")
    assert page.locator("h1").inner_text() == "行政处罚信息公示"
    assert "共 26 条" in page.locator(".public-total").inner_text()
    assert page.locator(".public-card").count() == 20
    if name == "phone":
        # One column, nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, "public-portal")
        page.screenshot(path=str(SCREENSHOTS / "public-portal-first-screen.png"))  # what the phone shows first
    else:
        screenshot(page, "public-portal-desktop")

    # Search by name: the results are swapped, the address keeps the search.
    page.fill("#id_q", "某某商贸")
    page.click(".public-query button[type=submit]")
    page.wait_for_url("**/public/disclosures/?q=*")
    expect(page.locator(".public-card")).to_have_count(1)
    assert "共 1 条" in page.locator(".public-total").inner_text()
    assert page.locator(".public-card h2").inner_text().startswith("宜昌某某商贸有限公司")

    # A bad date: said at the field, no results, no error page.
    page.locator("details.public-filters > summary").click()
    page.fill("#id_decided_after", "")
    page.evaluate("document.querySelector('#id_decided_after').type = 'text'")  # as a browser without a date picker
    page.fill("#id_decided_after", "2026-13-45")
    page.click(".public-filters button[type=submit]")
    expect(page.locator("#id_decided_after-errors li")).to_have_count(1)
    assert "有效的日期" in page.locator("#id_decided_after-errors").inner_text()
    assert page.locator(".public-card").count() == 0
    page.fill("#id_decided_after", "")
    page.click(".public-filters button[type=submit]")
    expect(page.locator(".public-card")).to_have_count(1)
    assert page.locator("#id_decided_after-errors li").count() == 0

    # Open the record: the published fields and the correction.
    page.click(".public-card h2 a")
    page.wait_for_url(f"**/public/disclosures/{public.pk}/")
    assert page.locator("h1").inner_text() == "宜昌某某商贸有限公司"
    text = page.locator("main").inner_text()
    assert "¥120,000.00" in text and "行政复议决定变更罚款金额" in text and "修订历史" in text
    assert "张三丰" not in text and "赵举报" not in text
    if name == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, "public-record")
        # The feeds' documentation from the footer: its code scrolls inside its box, the page does not.
        page.click(".public-footer a[href='/public/disclosures/feeds/']")
        page.wait_for_url("**/public/disclosures/feeds/")
        assert "信用平台数据接口说明" in page.locator("h1").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, "public-feeds")
    else:
        screenshot(page, "public-record-desktop")
    assert page.problems == []
