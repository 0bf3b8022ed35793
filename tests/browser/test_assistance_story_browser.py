"""An assistance request across cities in two browsers: an officer of 宜昌
asks the market regulator of 荆州 for assistance from the case page; the
荆州 head, with the workbench open, sees it arrive live on the bell, follows
the notification to the request and answers it with a file; the 宜昌 officer
reads the answer and finds the file in the case's evidence. Screenshots
assistance-desk.png and assistance-page.png go to var/screenshots/."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from casehub.models import AssistanceRequest, AssistanceStatus
from tests.factories import Office, jingzhou_office, make_case
from tests.files.samples import PDF

from .conftest import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
DESK = {"width": 1280, "height": 900}


@pytest.fixture
def cast(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    yichang = Office()
    yichang.officer.full_name = "王芳"
    yichang.officer.save()
    jingzhou = jingzhou_office()
    jingzhou.head.full_name = "黄磊"
    jingzhou.head.save()
    case = make_case(yichang, title="伍家岗华泰酒业有限公司销售侵犯“枝江大曲”注册商标专用权的白酒案")
    return yichang, jingzhou, case


def test_an_assistance_request_across_cities(cast, live_url, chromium, screenshot):
    yichang, jingzhou, case = cast
    officer = signed_in_page(chromium, live_url, yichang.officer, DESK)
    head = signed_in_page(chromium, live_url, jingzhou.head, DESK)
    bell = head.locator("[data-bell-count]")
    before = int(bell.inner_text() or 0)

    # 1. From the case's 移送与协查 tab, the officer asks 荆州.
    officer.goto(f"{live_url}/cases/{case.pk}/cooperation/")
    officer.click("#ask-assistance")
    officer.wait_for_url(re.compile(r"/assistance/new/$"))
    officer.select_option("#ask-to_agency", str(jingzhou.agency.pk))
    officer.fill("#ask-subject", "核查荆州恒达酒业有限公司出库单")
    officer.fill("#ask-details", "请协助调取该公司2026年向宜昌方向供货的出库单及物流记录。")
    officer.fill("#ask-due_on", (timezone.localdate() + timedelta(days=7)).isoformat())
    officer.get_by_role("button", name="提交").click()
    officer.wait_for_url(re.compile(r"/assistance/\d+/$"))
    assert f"已向{jingzhou.agency.name}发出协查请求" in officer.locator("#messages").inner_text()
    item = AssistanceRequest.objects.get()

    # 2. The 荆州 head's bell rises by itself; the notification leads to the request.
    head.wait_for_function("([el, n]) => parseInt(el.textContent || '0', 10) > n",
                           arg=[bell.element_handle(), before])
    head.click("[data-bell-button]")
    head.locator(f"#bell-panel a[href='/assistance/{item.pk}/']").first.click()
    head.wait_for_url(f"{live_url}/assistance/{item.pk}/")
    assert case.number in head.locator("#assistance-request").inner_text()
    assert case.title not in head.content()  # the asked agency sees the request, not the case

    # 3. The desk lists it as received, awaiting the answer.
    head.goto(f"{live_url}/assistance/")
    head.locator(f"#assistance-{item.pk}").wait_for()
    assert "待答复" in head.locator(f"#assistance-{item.pk}").inner_text()
    screenshot(head, "assistance-desk")

    # 4. The head answers with a file.
    head.goto(f"{live_url}/assistance/{item.pk}/")
    head.fill("#answer-answer", "经核查，该公司2026年3月至5月向伍家岗华泰酒业有限公司供货共计86箱，出库单附后。")
    head.set_input_files("#answer-files", files=[{"name": "出库单.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    head.locator("#answer-form button[type=submit]").click()
    head.locator("#assistance-answer").wait_for()
    assert "已发送答复" in head.locator("#messages").inner_text()
    item.refresh_from_db()
    assert item.status == AssistanceStatus.ANSWERED and item.files.count() == 1

    # 5. The officer reads the answer, and finds the file in the case's evidence.
    officer.goto(f"{live_url}/assistance/{item.pk}/")
    answer = officer.locator("#assistance-answer").inner_text()
    assert "供货共计86箱" in answer and "出库单.pdf" in answer
    screenshot(officer, "assistance-page")
    officer.goto(f"{live_url}/cases/{case.pk}/evidence/")
    officer.locator("text=出库单.pdf").first.wait_for()
    assert jingzhou.agency.name in officer.locator("#evidence-body").inner_text()

    for page in (officer, head):
        assert page.problems == [], page.problems
