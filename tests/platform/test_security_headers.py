"""Every response carries a Content-Security-Policy that allows no inline
script, and a Permissions-Policy that turns the device APIs off (issue 11,
defect 8); no template has an inline script or event handler, so the policy
breaks nothing; the API documentation still loads under it."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.test import Client

from disclosure import services
from disclosure.models import DisclosureRecord
from tests.disclosure.helpers import decided_case
from tests.factories import TEST_PASSWORD, Office, token_for

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = ["casehub/templates", "notifications/templates", "disclosure/templates", "agencies/templates",
                 "search/templates"]


def script_sources(policy: str) -> list[str]:
    for directive in policy.split(";"):
        name, *values = directive.split()
        if name == "script-src":
            return values
    return []


def assert_hardened(response, what: str):
    policy = response.get("Content-Security-Policy")
    assert policy, f"{what}: no CSP"
    scripts = script_sources(policy) or next(d.split()[1:] for d in policy.split(";") if d.split()[0] == "default-src")
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, what
    assert "frame-ancestors 'none'" in policy, what
    features = response.get("Permissions-Policy", "")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in features, (what, feature)


@pytest.mark.django_db
def test_every_kind_of_response_carries_both_policies():
    office = Office()
    case = decided_case(office)
    for record in DisclosureRecord.objects.filter(case=case):
        services.approve(actor=office.head, record_id=record.pk)
    record = DisclosureRecord.objects.filter(status="published").first()
    browser = Client()
    assert browser.post("/accounts/login/", {"username": office.officer.username,
                                             "password": TEST_PASSWORD}).status_code == 302
    admin = Client()
    admin.force_login(type(office.officer).objects.create_superuser("root", "root@example.cn", TEST_PASSWORD))
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(office.officer)}")
    pages = {
        "workbench": (browser, "/"), "home, signed out (to sign-in)": (Client(), "/"),
        "login page": (Client(), "/accounts/login/"),
        "notifications page": (browser, "/notifications/"),
        "API (JSON)": (api, "/api/v1/cases/"), "API error": (Client(), "/api/v1/cases/"),
        "API docs": (Client(), "/api/docs/"), "schema": (Client(), "/api/schema/"),
        "admin": (admin, "/admin/"), "admin login": (Client(), "/admin/login/"),
        "public page": (Client(), f"/public/disclosures/{record.pk}/"),
        "public API": (Client(), "/api/v1/public/disclosures/"),
        "Atom feed": (Client(), "/public/disclosures/feed.atom"),
        "CSV export": (Client(), "/api/v1/public/disclosures/export.csv"),
        "not found": (Client(), "/no-such-page/"),
        "bad input": (Client(), "/api/v1/public/disclosures/?q=%00"),
    }
    for what, (client, path) in pages.items():
        response = client.get(path)
        assert response.status_code < 500, what
        assert_hardened(response, what)


def template_files() -> list[Path]:
    return [p for d in TEMPLATE_DIRS for p in (ROOT / d).rglob("*.html") if (ROOT / d).exists()]


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)


def test_no_template_has_an_inline_script_handler_or_style():
    files = template_files()
    assert len(files) >= 6
    for path in files:
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        assert not INLINE_SCRIPT.search(text), f"{where}: inline <script>"
        assert not EVENT_HANDLER.search(text), f"{where}: inline event handler"
        assert not JAVASCRIPT_URL.search(text), f"{where}: javascript: URL"
        assert not INLINE_STYLE.search(text), f"{where}: inline style"
        assert "json_script" not in text, f"{where}: json_script (use data attributes)"


def test_every_static_file_a_template_names_exists():
    for path in template_files():
        for name in re.findall(r"{%\s*static\s+'([^']+)'\s*%}", path.read_text(encoding="utf-8")):
            assert finders.find(name), f"{path.name}: {name}"


def test_the_docs_page_is_drf_spectaculars_with_its_start_up_script_as_a_file():
    template = get_template("drf_spectacular/swagger_ui.html")
    assert Path(template.origin.name).is_relative_to(ROOT / "casehub" / "templates")
    assert finders.find("casehub/swagger-init.js")


@pytest.mark.django_db
def test_the_docs_page_references_only_files_that_are_served():
    page = Client().get("/api/docs/").content.decode()
    for src in re.findall(r'<script src="([^"]+)"', page) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', page):
        assert finders.find(src.removeprefix(settings.STATIC_URL if settings.STATIC_URL.startswith("/")
                                             else "/" + settings.STATIC_URL)), src


@pytest.mark.slow
def test_the_docs_page_renders_in_a_browser_under_the_policy(live_server, tmp_path):
    """Headless Chromium opens /api/docs/: Swagger UI draws the operations
    (the DOM has them) and the console reports no CSP violation."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed")
    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000",
         "--dump-dom", f"{live_server.url}/api/docs/"],
        capture_output=True, text=True, timeout=120)
    assert "opblock" in result.stdout, result.stderr[-2000:]  # Swagger UI rendered the operations
    assert "/api/v1/cases/" in result.stdout
    violations = [line for line in result.stderr.splitlines()
                  if "Content Security Policy" in line or "Refused to" in line]
    assert not violations, violations
