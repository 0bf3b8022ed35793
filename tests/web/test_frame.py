"""The frame every page shares: navigation from the access module, the
agency switcher, local assets only, Chinese by default."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from agencies.roles import Role
from casehub.web.agency import SESSION_KEY
from tests.factories import AgencyFactory, MembershipFactory, member

from .helpers import signed_in

pytestmark = pytest.mark.django_db


def nav_labels(page: str) -> list[str]:
    nav = page.split('id="sidenav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', nav)


def test_an_officer_may_log_leads_an_auditor_may_not(office):
    officer = signed_in(office.officer).get(reverse("web:workbench")).content.decode()
    assert {"工作台", "案件列表", "登记线索", "全文检索", "我的账号"} <= set(nav_labels(officer))
    auditor = member(office.agency, Role.AUDITOR, username="auditor")
    labels = nav_labels(signed_in(auditor).get(reverse("web:workbench")).content.decode())
    assert "案件列表" in labels and "登记线索" not in labels


def test_someone_of_no_agency_sees_only_their_account(stranger):
    labels = nav_labels(signed_in(stranger).get(reverse("web:account")).content.decode())
    assert "案件列表" not in labels and "工作台" not in labels and "我的账号" in labels


def test_the_current_page_is_marked(office):
    page = signed_in(office.officer).get(reverse("web:case-new")).content.decode()
    assert f'<a href="{reverse("web:case-new")}" aria-current="page">' in page
    assert f'<a href="{reverse("web:case-list")}" aria-current="page">' not in page


def test_the_agency_switcher_keeps_to_the_users_own_agencies(office):
    second = AgencyFactory(code="420502-SCJG", name="宜昌市西陵区市场监督管理局")
    MembershipFactory(user=office.officer, agency=second, role=Role.OFFICER)
    stranger_agency = AgencyFactory(code="421000-GA", name="荆州市公安局")
    client = signed_in(office.officer)
    page = client.get(reverse("web:workbench")).content.decode()
    assert 'id="agency-switch"' in page and "宜昌市西陵区市场监督管理局" in page and "荆州市公安局" not in page
    response = client.post(reverse("web:switch-agency"), {"agency": second.pk, "next": "/cases/"})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.session[SESSION_KEY] == second.pk
    client.post(reverse("web:switch-agency"), {"agency": stranger_agency.pk})
    assert client.session[SESSION_KEY] == second.pk  # not theirs: ignored
    response = client.post(reverse("web:switch-agency"), {"agency": office.agency.pk, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_one_agency_is_named_not_switched(office):
    page = signed_in(office.officer).get(reverse("web:workbench")).content.decode()
    assert 'id="agency-switch"' not in page and office.agency.name in page


def test_every_script_and_style_is_served_by_the_application(office):
    page = signed_in(office.officer).get(reverse("web:workbench")).content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert any("htmx" in s for s in sources)  # htmx 2, bundled with django-htmx
    for source in sources:
        assert finders.find(source.removeprefix("/static/")), source


def test_pages_are_in_chinese_by_default_and_carry_the_csp(office):
    response = signed_in(office.officer).get(reverse("web:workbench"))
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page and "宜荆荆恩知识产权协同保护平台" in page
    assert "script-src 'self'" in response["Content-Security-Policy"]
    # HTMX requests carry the CSRF token (the body's hx-headers).
    assert 'hx-headers=\'{"X-CSRFToken": "' in page


def test_no_template_comment_spans_lines():
    # Django's {# #} ends at the line's end: a longer one is printed on the page.
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    bad = [f"{path.relative_to(root)}:{n}" for folder in ("casehub", "agencies", "notifications", "disclosure", "search")
           for path in (root / folder).rglob("*.html")
           for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
           if "{#" in line and "#}" not in line.split("{#", 1)[1]]
    assert bad == []


def test_the_favicon_is_ours(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("casehub/favicon.svg")
