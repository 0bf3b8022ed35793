"""The whole case story in a real browser, as officers would do it on the
platform: log a lead with two parties, the head files it, the clock is
stopped and restarted, the head extends the deadline, a PDF is uploaded, a
colleague is mentioned in a note (their bell, open in another browser, rises
by itself), the case is found by search, decided with a fine, executed and
closed. An officer of another agency opening the case meets a 404. Each step
is saved to var/screenshots/ (the README shows some of them)."""

import re

import pytest
from django.utils import timezone

from casehub.events.worker import drain
from casehub.models import AuditEntry, Case
from tests.factories import VALID_CREDIT_CODE, VALID_ID_NUMBER, Office
from tests.files.samples import PDF

from .conftest import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
DESK = {"width": 1280, "height": 900}


@pytest.fixture
def cast(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    office = Office()
    for user, name in ((office.officer, "王芳"), (office.officer2, "李强"), (office.reviewer, "赵敏"),
                       (office.head, "陈军")):
        user.full_name = name
        user.save()
    outsider = Office(code="421000-SCJG", short_name="荆市监")
    return office, outsider.officer


class Browser:
    """One signed-in person: their own browser context, console errors kept."""

    def __init__(self, chromium, live_url, user, viewport=DESK):
        self.live_url = live_url
        self.page = signed_in_page(chromium, live_url, user, viewport)
        self.problems = self.page.problems

    def go(self, path):
        self.page.goto(f"{self.live_url}{path}")

    def act(self, case_id, name, fill=None):
        """Open an action's form from the action bar (HTMX), fill it, submit,
        and wait for the case page to say it was done."""
        page = self.page
        self.go(f"/cases/{case_id}/")
        page.click(f"#action-bar [data-action={name}]")
        form = page.locator(f"#form-{name}")
        form.wait_for()
        for step in fill or ():
            step(page)
        form.locator("button[type=submit]").click()
        page.locator("#messages .message").first.wait_for()
        return page.locator("#messages").inner_text()


def status_of(page) -> str:
    return page.locator("#case-header .badge").first.inner_text()


def test_the_case_story_from_lead_to_closure(cast, live_url, chromium, screenshot):
    office, outsider = cast
    officer = Browser(chromium, live_url, office.officer)
    head = Browser(chromium, live_url, office.head)
    colleague = Browser(chromium, live_url, office.officer2, viewport={"width": 820, "height": 1180})
    page = officer.page

    # 1. Log a lead with two parties; the second officer handles it too.
    officer.go("/cases/new/")
    page.fill("#id_title", "某商贸公司销售假冒“稻花香”注册商标白酒案")
    page.select_option("#id_ip_type", "trademark")
    page.select_option("#id_source", index=1)
    page.fill("#id_facts", "经查，当事人销售假冒“稻花香”注册商标的白酒120箱。")
    page.fill("#id_amount_involved", "86000")
    page.get_by_label(re.compile("李强")).check()
    page.fill("#id_parties-0-name", "宜昌鑫源商贸有限公司")
    page.fill("#id_parties-0-credit_code", VALID_CREDIT_CODE)
    page.get_by_role("button", name="添加当事人").click()
    page.locator("#id_parties-1-name").wait_for()
    page.select_option("#id_parties-1-kind", "individual")
    page.fill("#id_parties-1-name", "张伟")
    page.fill("#id_parties-1-id_number", VALID_ID_NUMBER)
    screenshot(page, "story-01-log-a-lead")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case_id = int(re.search(r"/cases/(\d+)/", page.url).group(1))
    assert "已登记线索" in page.locator("#messages").inner_text() and status_of(page) == "线索"
    case = Case.objects.get(pk=case_id)
    assert case.parties.count() == 2 and case.handlers.count() == 2

    # 2. The head files it (two handlers: the state machine allows it).
    assert "已立案" in head.act(case_id, "file")
    assert status_of(head.page) == "已立案"
    screenshot(head.page, "story-02-filed")

    # 3. The clock stops (an expert opinion is awaited) and starts again.
    officer.act(case_id, "stop_clock", [lambda p: p.select_option("#stop_clock-reason", index=1)])
    assert "计时中止" in page.locator("#case-header").inner_text()
    screenshot(page, "story-03-clock-stopped")
    officer.act(case_id, "restart_clock")
    assert "计时中止" not in page.locator("#case-header .case-deadline").inner_text()

    # 4. The head extends the filing deadline.
    head.act(case_id, "extend_deadline", [lambda p: p.fill("#extend_deadline-reason", "案情复杂，经负责人批准延长")])
    assert Case.objects.get(pk=case_id).extensions.count() == 1

    # 5. A PDF as evidence, with its hash.
    officer.go(f"/cases/{case_id}/evidence/")
    page.set_input_files("#upload-form input[type=file]",
                         files=[{"name": "鉴定意见.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.locator("#upload-form button[type=submit]").click()
    page.locator("text=鉴定意见.pdf").first.wait_for()
    assert case.files.count() == 1
    screenshot(page, "story-05-evidence")

    # 6. A note mentions the colleague: their bell, open elsewhere, rises by itself.
    colleague.go("/")
    bell = colleague.page.locator("[data-bell-count]")
    before = int(bell.inner_text() or 0)
    officer.go(f"/cases/{case_id}/notes/")
    page.fill("#note-text", f"请 @{office.officer2.username} 核对进货单据")
    page.locator("#note-form button[type=submit]").click()
    page.locator(".case-note").first.wait_for()
    colleague.page.wait_for_function(
        "([el, n]) => parseInt(el.textContent || '0', 10) > n", arg=[bell.element_handle(), before])
    screenshot(colleague.page, "story-06-bell-rose")

    # 7. Search finds it (the index follows the outbox, drained here as the worker would).
    drain()
    officer.go("/search/?q=稻花香")
    page.locator(f"a[href='/cases/{case_id}/']").first.wait_for()
    screenshot(page, "story-07-search")

    # 8. Investigation, review, a decision with a fine, execution, closure.
    officer.act(case_id, "start_investigation")
    officer.act(case_id, "submit_for_review", [lambda p: p.fill("#submit_for_review-report", "调查终结报告：事实清楚，证据确凿。")])
    assert status_of(page) == "审核中"
    today = timezone.localdate().isoformat()
    head.act(case_id, "decide", [
        lambda p: p.select_option("#decide-outcome", "penalty"),
        lambda p: p.fill("#decide-decision_date", today),
        lambda p: p.fill("#decide-decision_number", "宜市监处罚〔2026〕8号"),
        lambda p: p.get_by_label("罚款", exact=True).check(),
        lambda p: p.fill("#decide-fine_amount", "50000"),
        lambda p: p.fill("#decide-legal_basis", "《中华人民共和国商标法》第六十条"),
    ])
    assert status_of(head.page) == "已作出决定"
    officer.act(case_id, "start_execution")
    head.act(case_id, "close", [lambda p: p.fill("#close-summary", "罚款已缴纳，结案。")])
    assert status_of(head.page) == "已结案"
    assert Case.objects.get(pk=case_id).fine_amount == 50000
    screenshot(head.page, "story-08-closed")
    head.go(f"/cases/{case_id}/timeline/")
    screenshot(head.page, "story-08-timeline")

    # 9. Another agency's officer: the case does not exist for them, and the attempt is on record.
    stranger = Browser(chromium, live_url, outsider)
    response = stranger.page.goto(f"{live_url}/cases/{case_id}/")
    assert response.status == 404
    screenshot(stranger.page, "story-09-outsider-404")
    assert AuditEntry.objects.filter(user=outsider, object_id=str(case_id), result="denied").exists()
    stranger.go("/cases/")
    assert case.number not in stranger.page.content()

    # No blocked script or style, no script error, on any page of the story
    # (the outsider's console has the 404 of the case itself).
    for who in (officer, head, colleague):
        assert who.problems == [], who.problems
