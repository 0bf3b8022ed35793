"""Signing in with a password and an authenticator app in a real browser:
first enrolment (the secret typed in as a user would if the QR code cannot
be scanned), the recovery codes, then a second login with a code. Each
page is saved to var/screenshots/ to be looked at."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.factories import TEST_PASSWORD, AgencyFactory, member

from .conftest import TABLET, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app holding `secret` (as the page shows it)
    displays now, or `steps_ahead` 30-second steps later."""
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key, step=30, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


@pytest.fixture
def officer(settings):
    settings.OTP_REQUIRED = True
    return member(AgencyFactory(name="宜昌市市场监督管理局"), username="wangfang", full_name="王芳")


def test_enrol_then_sign_in_with_password_and_code(officer, live_url, chromium, screenshot):
    page = watched_page(chromium, has_touch=True)

    page.goto(f"{live_url}/accounts/login/")
    assert page.locator("h1").inner_text() == "登录"
    screenshot(page, "01-login")
    page.fill("#id_username", "wangfang")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")

    # First time: set up the authenticator.
    page.wait_for_url("**/accounts/two-factor/")
    assert "设置身份验证器" in page.locator("h1").inner_text()
    qr = page.locator("figure.qr img")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # the SVG loaded
    secret = page.locator(".secret").inner_text()
    screenshot(page, "02-enrol")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: one column
    screenshot(page, "02-enrol-phone")
    page.set_viewport_size(TABLET)
    page.fill("#id_code", "000000" if app_code(secret) != "000000" else "111111")
    page.click("button[type=submit]")
    assert "不正确" in page.locator(".errorlist").inner_text()
    screenshot(page, "03-enrol-wrong-code")
    page.fill("#id_code", app_code(secret))
    page.click("button[type=submit]")

    # Recovery codes, once.
    page.locator("ul.codes").wait_for()
    codes = page.locator("ul.codes li").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "04-recovery-codes")
    page.click("text=已保存，继续")
    page.wait_for_url(f"{live_url}/")
    assert "王芳" in page.locator("header").inner_text()
    screenshot(page, "05-signed-in")

    page.goto(f"{live_url}/accounts/security/")
    assert "已设置" in page.locator(".settings").inner_text()
    screenshot(page, "06-account-security")

    # Log out, and in again: password, then the app's next code.
    page.click("header .user-menu summary")  # the user menu holds 退出
    page.click("header .user-menu button[type=submit]")
    page.wait_for_url("**/accounts/login/")
    page.goto(f"{live_url}/accounts/login/?next=/accounts/security/")
    page.fill("#id_username", "wangfang")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/login/code/")
    assert page.locator("h1").inner_text() == "验证码"
    screenshot(page, "07-code-step")
    page.fill("#id_code", app_code(secret, steps_ahead=1))  # the last one was used
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/security/")

    page.goto(f"{live_url}/accounts/password/")
    page.fill("#id_current_password", TEST_PASSWORD)
    page.fill("#id_new_password", "short")
    page.fill("#id_new_password_again", "short")
    page.click("form.account-form button[type=submit]")
    assert page.locator(".errorlist").count() >= 1
    screenshot(page, "08-password-change-errors")
    page.context.close()
    assert page.problems == []
