"""The case tabs' own scripts in a real browser: @mention completion in a
note (typed, chosen by keyboard, heard by the colleague), and an evidence
upload with its progress bar, a refused type shown at the field. No console
error on the way (a blocked inline script or style would show there)."""

import pytest
from playwright.sync_api import expect

from casehub.models import EvidenceFile, Note
from notifications.models import Notification
from tests.factories import Office, make_case
from tests.files.samples import EXE, PDF

from .conftest import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    office = Office()
    office.head.full_name = "陈军"
    office.head.save()
    return office, make_case(office)


def test_a_mention_is_completed_by_keyboard_and_heard(story, live_url, chromium, screenshot):
    office, case = story
    page = signed_in_page(chromium, live_url, office.officer)
    page.goto(f"{live_url}/cases/{case.pk}/notes/")
    area = page.locator("#note-text[data-mentions-bound]")  # mentions.js has attached to it
    area.click()
    # The suggestions come from the server: wait for its answer (a loaded CI machine can be slow to give it).
    with page.expect_response(lambda r: "/mentions/?q=%E9%99%88" in r.url and r.ok, timeout=30000):
        area.press_sequentially("请 @陈")
    expect(page.locator(".mention-list [role=option]")).to_have_count(1)
    assert page.locator(".mention-list [role=option]").all_inner_texts() == [f"陈军\n@{office.head.username}"]
    assert area.get_attribute("aria-expanded") == "true"
    screenshot(page, "case-notes-mention")
    page.keyboard.press("Enter")
    assert area.input_value() == f"请 @{office.head.username} "
    assert page.locator(".mention-list").is_hidden()
    area.press_sequentially("审阅")
    page.locator("#note-form button[type=submit]").click()
    page.locator(".case-note").first.wait_for()
    assert "审阅" in page.locator("#notes-list").inner_text()
    assert page.locator("#note-text").input_value() == ""
    assert Note.objects.get().text == f"请 @{office.head.username} 审阅"
    assert Notification.objects.filter(recipient=office.head, kind="mentioned").count() == 1
    # Escape closes the list without inserting anything.
    area = page.locator("#note-text")
    area.press_sequentially("@4")
    page.locator(".mention-list [role=option]").first.wait_for()
    page.keyboard.press("Escape")
    assert page.locator(".mention-list").is_hidden() and area.input_value() == "@4"
    assert page.problems == []


def test_an_upload_shows_progress_and_a_refusal_at_the_field(story, live_url, chromium, screenshot, tmp_path):
    office, case = story
    good, bad = tmp_path / "鉴定意见.pdf", tmp_path / "报告.pdf"
    good.write_bytes(PDF + b"%" * 200_000)
    bad.write_bytes(EXE)
    page = signed_in_page(chromium, live_url, office.officer)
    page.goto(f"{live_url}/cases/{case.pk}/evidence/")
    page.set_input_files("#upload-file", str(bad))
    page.fill("#upload-description", "伪装的程序")
    page.locator("#upload-form button[type=submit]").click()
    page.locator("#upload-file-errors").wait_for()
    assert "不接受此类文件" in page.locator("#upload-file-errors").inner_text()
    assert page.locator("#upload-description").input_value() == "伪装的程序"
    screenshot(page, "case-evidence-refused")
    assert not EvidenceFile.objects.exists()
    page.set_input_files("#upload-file", str(good))
    page.fill("#upload-description", "商标权利人鉴定意见")
    page.locator("#upload-form button[type=submit]").click()
    page.locator("tr.just-added").wait_for()
    assert "鉴定意见.pdf" in page.locator("tr.just-added").inner_text()
    stored = EvidenceFile.objects.get()
    assert stored.sha256 in page.locator("tr.just-added").inner_text()
    # The form is fresh and bound again: its progress bar is hidden until the next upload.
    assert page.locator("[data-upload-progress]").is_hidden()
    assert page.locator("#upload-form").get_attribute("data-upload-bound") == "1"
    page.locator("details.custody summary").first.click()
    page.locator(".custody-list li").first.wait_for()
    screenshot(page, "case-evidence")
    assert page.problems == []
