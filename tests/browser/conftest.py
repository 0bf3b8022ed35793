"""Browser tests: the system's headless Chromium driven by Playwright against
a live ASGI server. Playwright never downloads a browser here: it launches
/usr/bin/chromium (.ci/run installs it from Debian's packages); without it
these tests skip, saying why."""

import os
from pathlib import Path

import pytest

from tests.factories import TEST_PASSWORD

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# A 10.9-inch tablet held upright, as officers use the platform in the field.
TABLET = {"width": 820, "height": 1180}


@pytest.fixture
def chromium(monkeypatch):
    """A browser for one test. Playwright's sync API keeps an event loop
    running in this thread while it is open; the test's own ORM calls are
    still plain synchronous code, so Django is told not to mind, and only
    for as long as the browser is open."""
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (the dev extras)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.evaluate("window.scrollTo(0, 0)")  # the sticky top bar is drawn where the page was scrolled to
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def live_url():
    from tests.notifications.live import asgi_server

    with asgi_server() as ws_url:
        yield ws_url.replace("ws://", "http://").removesuffix("/ws/notifications/")


def watched_page(chromium, viewport=TABLET, **options):
    """A page in a context of its own, whose console errors (a blocked
    script or style, a missing image; the browser's own favicon request
    aside) and uncaught script errors are kept in page.problems."""
    page = chromium.new_context(viewport=viewport, locale="zh-CN", device_scale_factor=1, **options).new_page()
    page.set_default_timeout(15000)
    page.problems = []
    page.on("console", lambda m: m.type == "error" and "favicon" not in m.location.get("url", "")
            and page.problems.append(m.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return page


def signed_in_page(chromium, live_url, user, viewport=TABLET):
    """A watched page signed in as the user (a password-only account), on the workbench."""
    page = watched_page(chromium, viewport)
    page.goto(f"{live_url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_url}/")
    return page
