"""A suspected crime transferred in real browsers, each person in a context
of their own: the officer proposes it from the case page, the head approves
and sends it, the police liaison — whose bell, open all along, rises by
itself — accepts it with the criminal case number, the procurator posts a
supervision opinion and the police reply. The desk, the transfer page and
the supervision desk are saved to var/screenshots/."""

import pytest
from rest_framework.test import APIClient

from casehub.models import SupervisionOpinion, Transfer
from tests.transfers.helpers import Cast, open_filed_case

from .conftest import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
DESK = {"width": 1280, "height": 900}


class Person:
    def __init__(self, chromium, live_url, user):
        self.live_url = live_url
        self.page = signed_in_page(chromium, live_url, user, DESK)

    def go(self, path):
        self.page.goto(f"{self.live_url}{path}")

    def step(self, transfer_id, name, fill=()):
        """Open a step's form from the action bar (HTMX), fill it, submit it,
        and wait for the page to say it was done."""
        page = self.page
        self.go(f"/transfers/{transfer_id}/")
        page.click(f"#action-bar [data-step={name}]")
        form = page.locator(f"#form-{name}")
        form.wait_for()
        for action in fill:
            action(page)
        form.locator("button[type=submit]").click()
        page.locator("#messages .message").first.wait_for()
        return page.locator("#messages").inner_text()


def test_a_transfer_from_proposal_to_the_police_reply(chromium, live_url, screenshot):
    cast = Cast()
    for user, name in ((cast.officer, "王芳"), (cast.head, "陈军"), (cast.police_liaison, "刘洋"),
                       (cast.procurator, "孙浩")):
        user.full_name = name
        user.save()
    case_id = open_filed_case(APIClient(), cast)

    # The officer proposes it from the case's 移送与协查 tab.
    officer = Person(chromium, live_url, cast.officer)
    officer.go(f"/cases/{case_id}/cooperation/")
    officer.page.click("#propose-transfer")
    officer.page.locator("#transfer-form").wait_for()
    officer.page.select_option("#transfer-kind", "suspected_crime")
    officer.page.select_option("#transfer-to_agency", str(cast.police.pk))
    officer.page.fill("#transfer-reason", "涉案货值三十八万元，涉嫌销售假冒注册商标的商品罪，依法移送公安机关。")
    officer.page.locator("#transfer-form button[type=submit]").click()
    officer.page.locator("#transfer-header").wait_for()
    transfer = Transfer.objects.get(case_id=case_id)
    assert transfer.status == "proposed" and transfer.materials.count() == 4

    # The police liaison watches the workbench; the bell shows what arrives.
    police = Person(chromium, live_url, cast.police_liaison)
    bell = police.page.locator("[data-bell-count]")
    before = int(bell.inner_text() or 0)

    # The head approves and sends it.
    head = Person(chromium, live_url, cast.head)
    assert "已批准移送" in head.step(transfer.pk, "approve")
    assert "已移送至宜昌市公安局" in head.step(transfer.pk, "send")
    police.page.wait_for_function("([el, n]) => parseInt(el.textContent || '0', 10) > n",
                                  arg=[bell.element_handle(), before])

    # It is on the police desk; they accept it with the criminal case number.
    police.go("/transfers/?box=incoming")
    police.page.locator(f"#transfer-{transfer.pk}").wait_for()
    screenshot(police.page, "transfers-desk")
    message = police.step(transfer.pk, "accept", [
        lambda p: p.fill("#accept-receiver_case_number", "宜公（经）立字〔2026〕101号")])
    assert "已受理" in message
    assert police.page.locator("#receiver-case-number").inner_text() == "宜公（经）立字〔2026〕101号"

    # The procurator issues an opinion; it waits on the supervision desk.
    procurator = Person(chromium, live_url, cast.procurator)
    procurator.go(f"/transfers/{transfer.pk}/")
    procurator.page.select_option("#opinion-kind", "reply_to_opinion")
    procurator.page.fill("#opinion-opinion", "请公安机关及时侦查，并于期限内回复侦查进展。")
    procurator.page.locator("#opinion-form button[type=submit]").click()
    procurator.page.locator("#messages .message").first.wait_for()
    opinion = SupervisionOpinion.objects.get(transfer=transfer)
    procurator.go("/supervision/")
    procurator.page.locator(f"#awaiting-{opinion.pk}").wait_for()
    screenshot(procurator.page, "supervision-desk")

    # The police reply at the opinion.
    police.go(f"/transfers/{transfer.pk}/")
    police.page.fill(f"#reply-{opinion.pk}-response", "已立案侦查，正在固定涉案证据。")
    police.page.locator(f"#reply-form-{opinion.pk} button[type=submit]").click()
    police.page.locator("#messages .message").first.wait_for()
    assert "已立案侦查" in police.page.locator(f"#opinion-{opinion.pk}").inner_text()
    screenshot(police.page, "transfer-page")
    opinion.refresh_from_db()
    assert opinion.responded_at is not None

    for person in (officer, head, police, procurator):
        assert person.page.problems == []
