"""The pages the README shows, drawn from the demo data a new user finds
after `make run`: the head's workbench, the case list and a case page, on a
desk screen and on a tablet; each cross-agency desk, the disclosure desk, the
dashboard, the administration pages and the public portal on a phone. Saved to var/screenshots/; docs/screenshots/
holds the copies the README links to."""

from io import StringIO

import pytest
from django.core.management import call_command

from agencies.seed.demo_users import DEMO_PASSWORD
from casehub.models import Case

from .conftest import TABLET

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_agencies", verbosity=0, stdout=StringIO())
    call_command("seed_demo", cases=60, force=True, verbosity=0, stdout=StringIO())
    call_command("seed_demo_disclosures", force=True, verbosity=0, stdout=StringIO())


def sign_in(chromium, live_url, username, viewport):
    context = chromium.new_context(viewport=viewport, locale="zh-CN", device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(15000)
    problems = []
    page.on("console", lambda m: m.type == "error" and "favicon" not in m.location.get("url", "")
            and problems.append(m.text))
    page.goto(f"{live_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_url}/")
    return page, problems


def test_the_demo_head_sees_a_living_workbench_list_and_case(demo, live_url, chromium, screenshot):
    page, problems = sign_in(chromium, live_url, "chenjun", {"width": 1280, "height": 900})
    cards = page.locator(".stat").all_inner_texts()
    assert len(cards) >= 4 and any(not text.strip().startswith("0") for text in cards)
    screenshot(page, "workbench")

    page.goto(f"{live_url}/cases/?order=deadline")
    rows = page.locator("table.data tbody tr")
    assert rows.count() >= 10
    screenshot(page, "case-list")

    case = Case.objects.filter(owning_agency__code="420500-SCJG", status="under_review").order_by("pk").first()
    page.goto(f"{live_url}/cases/{case.pk}/")
    assert case.number in page.locator("#case-header").inner_text()
    assert page.locator("#action-bar [data-action]").count() >= 1
    screenshot(page, "case-page")
    page.goto(f"{live_url}/cases/{case.pk}/timeline/")
    screenshot(page, "case-timeline")

    tablet, tablet_problems = sign_in(chromium, live_url, "wangfang", TABLET)
    screenshot(tablet, "workbench-tablet")
    tablet.goto(f"{live_url}/cases/")
    screenshot(tablet, "case-list-tablet")
    assert problems == [] and tablet_problems == []


DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _rows(page) -> int:
    return page.locator("table tbody tr").count()


def test_every_desk_of_the_demo_has_something_on_it(demo, live_url, chromium, screenshot):
    """Each login finds its desk alive after `make run` (the README's second row of pictures)."""
    police, problems = sign_in(chromium, live_url, "liuyang", DESK)
    police.goto(f"{live_url}/transfers/")
    assert _rows(police) >= 2
    screenshot(police, "demo-transfers-desk")
    police.locator("table tbody tr a[href^='/transfers/']").first.click()
    police.wait_for_url("**/transfers/*/")
    screenshot(police, "demo-transfer-page")

    procurator, more = sign_in(chromium, live_url, "sunhao", DESK)
    problems += more
    procurator.goto(f"{live_url}/supervision/")
    screenshot(procurator, "demo-supervision-desk")

    officer, more = sign_in(chromium, live_url, "wangfang", DESK)
    problems += more
    officer.goto(f"{live_url}/assistance/")
    assert _rows(officer) >= 1
    screenshot(officer, "demo-assistance-desk")

    reviewer, more = sign_in(chromium, live_url, "zhaomin", DESK)
    problems += more
    reviewer.goto(f"{live_url}/disclosures/")
    assert _rows(reviewer) >= 2
    screenshot(reviewer, "demo-disclosures-desk")

    head, more = sign_in(chromium, live_url, "chenjun", DESK)
    problems += more
    head.goto(f"{live_url}/dashboard/")
    head.wait_for_selector("[data-chart] canvas")
    screenshot(head, "demo-dashboard")

    admin, more = sign_in(chromium, live_url, "wuting", DESK)
    problems += more
    admin.goto(f"{live_url}/manage/members/")
    assert _rows(admin) >= 5
    screenshot(admin, "demo-admin-members")

    context = chromium.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=1)
    public = context.new_page()
    public.goto(f"{live_url}/public/disclosures/")
    assert public.locator("article.public-card").count() >= 1
    # The phone's first screen: what a visitor sees before scrolling.
    public.screenshot(path=str(screenshot(public, "demo-public-portal-phone")), full_page=False)
    assert problems == []
