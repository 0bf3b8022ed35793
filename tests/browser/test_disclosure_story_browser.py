"""A disclosure from approval to the public page, in a real browser: the
reviewer finds the pending record on the desk (its countdown running),
approves it, and a visitor with no account finds it on the portal by the
enterprise's name and opens it; the reviewer corrects the fine with a note
and the public page shows the correction in its history; the enterprise's
credit report counts it. Screenshots of the desk, the portal's search, the
record pages and the credit report go to var/screenshots/."""

import pytest

from disclosure.models import DisclosureRecord
from tests.disclosure.helpers import decided_case
from tests.disclosure.portal_helpers import credit_code, publish_case
from tests.factories import VALID_CREDIT_CODE, Office

from .conftest import signed_in_page, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
DESK = {"width": 1280, "height": 900}
OTHER = "宜昌另一家电器有限公司"  # public already: the visitor's search leaves it out


@pytest.fixture
def office():
    office = Office()
    for user, name in ((office.officer, "王芳"), (office.reviewer, "赵敏"), (office.head, "陈军")):
        user.full_name = name
        user.save()
    return office


def test_a_reviewer_approves_then_corrects_and_the_public_page_follows(chromium, live_url, office, screenshot):
    case = decided_case(office, person=False)
    record = DisclosureRecord.objects.get(case=case)
    publish_case(office, person=False, company=OTHER, credit_code=credit_code(7), number="宜市监处罚〔2026〕91号")
    page = signed_in_page(chromium, live_url, office.reviewer, DESK)

    page.click("nav.sidenav >> text=公示管理")
    page.wait_for_url(f"{live_url}/disclosures/")
    row = page.locator(f"#disclosure-{record.pk}")
    assert "待审核" in row.inner_text() and "剩余 20 个工作日" in row.inner_text()
    page.select_option("#id_status", "pending")  # the rows swap by HTMX and the URL follows
    page.wait_for_url(f"{live_url}/disclosures/?status=pending")
    row.wait_for()
    screenshot(page, "disclosures-desk")

    row.locator("a", has_text="办理").click()
    page.wait_for_url(f"{live_url}/disclosures/{record.pk}/")
    page.select_option("#approve-field", "")
    page.click("#approve button[type=submit]")
    page.locator("#messages .message").wait_for()
    assert "已批准" in page.locator("#messages").inner_text()
    public_url = f"{live_url}/public/disclosures/{record.pk}/"
    assert page.locator("[data-public-page]").get_attribute("href") == f"/public/disclosures/{record.pk}/"

    # A visitor (a context of its own, never signed in) searches the portal by the enterprise's name.
    visitor = watched_page(chromium)
    visitor.goto(f"{live_url}/public/disclosures/")
    assert visitor.locator(".public-card", has_text=OTHER).count() == 1  # the whole public set, before searching
    visitor.fill("#id_q", "某某商贸")
    visitor.click("#public-search .public-query button[type=submit]")  # the results swap by HTMX, the URL follows
    visitor.wait_for_url("**/public/disclosures/?q=*")
    visitor.locator(".public-card", has_text=OTHER).wait_for(state="detached")
    found = visitor.locator(".public-card")
    assert found.count() == 1 and "宜昌某某商贸有限公司" in found.inner_text()
    assert visitor.locator(".public-total").inner_text().startswith("共 1 条")
    screenshot(visitor, "public-portal-found")
    found.locator("h2 a").click()
    visitor.wait_for_url(public_url)
    text = visitor.locator("main").inner_text()
    assert record.decision_number in text and "宜昌某某商贸有限公司" in text and "¥150,000.00" in text
    assert visitor.locator(".public-history li").count() == 1  # published, no correction yet

    page.click("#correct > summary")
    page.fill("#correct-fine_amount", "120000.00")
    page.fill("#correct-note", "经行政复议，罚款变更为十二万元。")
    page.click("#correct button[type=submit]")
    page.locator("#messages .message", has_text="已更正").wait_for()
    page.locator("#revision-2").wait_for()
    assert "经行政复议，罚款变更为十二万元。" in page.locator("#revision-2").inner_text()
    screenshot(page, "disclosure-page")

    visitor.reload()
    text = visitor.locator("main").inner_text()
    assert "经行政复议，罚款变更为十二万元。" in text and "¥120,000.00" in text and "150,000" not in text
    revision = visitor.locator(".public-history #r2").inner_text()  # the revision in its history, the old fine not
    assert "更正（第 2 版）" in revision and "更正事项：罚款金额" in revision and "经行政复议" in revision
    assert visitor.locator(".public-history li").count() == 2
    screenshot(visitor, "public-record-corrected")

    page.click("nav.sidenav >> text=企业信用")
    page.fill("#credit-credit_code", VALID_CREDIT_CODE[:-1] + "0")
    page.click("form[role=search] button[type=submit]")
    assert page.locator("#credit-credit_code-errors").is_visible()
    page.fill("#credit-credit_code", VALID_CREDIT_CODE)
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(f"{live_url}/credit/{VALID_CREDIT_CODE}/")
    assert page.locator(".credit-grade strong").inner_text() == "C"  # one penalty, fines ≥ ¥100,000
    screenshot(page, "credit-report")
    assert page.problems == [] and visitor.problems == []
