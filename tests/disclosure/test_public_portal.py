"""The public credit portal: /public/disclosures/ (search, filters, pages,
HTMX), each record's page with its revisions, the feeds' documentation, the
429 page; no sign-in, Chinese by default, local assets and the CSP."""

import importlib
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casehub import audit
from casehub.audit_archive import archive
from casehub.models import AuditEntry
from disclosure import history, portal, services
from disclosure.api.public import PublicRecordSerializer
from disclosure.models import DisclosureRecord, DisclosureRevision
from disclosure.throttling import PublicThrottle
from disclosure.web import RECORD_FIELDS, feed_example
from tests.factories import VALID_CREDIT_CODE, Office, jingzhou_office
from tests.web.helpers import assert_constant_queries, queries_for, signed_in

from tests.audit.helpers import days_ago

from .helpers import PERSON, decided_case
from .portal_helpers import copies, publish_case

pytestmark = pytest.mark.django_db
PORTAL = reverse("public-portal")
COMPANY = "宜昌某某商贸有限公司"


@pytest.fixture
def office():
    return Office()


@pytest.fixture
def published(office):
    """One decided case published: an enterprise and an individual."""
    return publish_case(office)


def page(client, url=PORTAL, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def record_links(html: str) -> list[str]:
    return re.findall(r'<h2><a href="(/public/disclosures/\d+/)">', html)


# --- the list -------------------------------------------------------------------------
def test_the_portal_lists_the_public_records_in_chinese_without_sign_in(published):
    response = Client().get(PORTAL)
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="zh-hans">' in html
    assert "宜荆荆恩知识产权协同保护平台" in html and "行政处罚信息公示" in html
    assert COMPANY in html and "张**" in html and PERSON not in html
    assert "共 2 条" in html or "2 条" in html
    records = DisclosureRecord.objects.filter(case=published)
    assert sorted(record_links(html)) == sorted(reverse("public-disclosure-page", args=[r.pk]) for r in records)
    # No desk of the agencies, no sign-in needed, the feeds in the footer.
    assert 'id="sidenav"' not in html and "工作台" not in html
    for url in (reverse("public-disclosures-feed"), reverse("v1:public-disclosures-csv"),
                reverse("public-portal-feeds")):
        assert f'href="{url}"' in html


def test_a_signed_in_officer_sees_the_public_frame_not_the_desks(office, published):
    html = page(signed_in(office.officer))
    assert 'id="sidenav"' not in html and "notifications/socket.js" not in html and COMPANY in html


def test_search_by_name_by_code_and_never_an_individual_by_name(office, published):
    client = Client()
    assert COMPANY in page(client, q="某某商贸") and "张**" not in page(client, q="某某商贸")
    by_code = page(client, q=VALID_CREDIT_CODE.lower())
    assert COMPANY in by_code and len(record_links(by_code)) == 1
    assert "暂无数据" in page(client, q="张三丰") and "暂无数据" in page(client, q="张")


def test_filters_by_agency_ip_type_and_dates(office, published):
    jingzhou = jingzhou_office()
    today = timezone.localdate()
    publish_case(jingzhou, company="荆州某某科技有限公司", number="荆市监处罚〔2026〕5号", person=False,
                 decision_date=today - timedelta(days=40))
    client = Client()
    html = page(client)
    assert "荆州某某科技有限公司" in html and COMPANY in html
    # The agency filter offers the deciding agencies.
    assert f'value="{jingzhou.agency.code}"' in html and f'value="{office.agency.code}"' in html
    only = page(client, agency=jingzhou.agency.code)
    assert "荆州某某科技有限公司" in only and COMPANY not in only
    assert "暂无数据" in page(client, ip_type="copyright") and COMPANY in page(client, ip_type="trademark")
    early = page(client, decided_before=(today - timedelta(days=30)).isoformat())
    assert "荆州某某科技有限公司" in early and COMPANY not in early
    late = page(client, decided_after=(today - timedelta(days=30)).isoformat(), decided_before=today.isoformat())
    assert "荆州某某科技有限公司" not in late and COMPANY in late
    # The same filters as the API's list: the page links to it and to the CSV of the same search.
    assert f"{reverse('v1:public-disclosures-csv')}?agency={jingzhou.agency.code}" in only
    assert Client().get(reverse("v1:public-disclosures"), {"agency": jingzhou.agency.code}).json()["results"][0][
        "party_name"] == "荆州某某科技有限公司"


@pytest.mark.parametrize("params, field, words", [
    ({"decided_after": "2026-13-45"}, "decided_after", "有效的日期"),
    ({"decided_after": "2026-03-01", "decided_before": "2026-02-01"}, "decided_before", "结束日期早于开始日期"),
    ({"q": "91350100M000100Y44"}, "q", "统一社会信用代码"),
    ({"agency": "NO-SUCH-AGENCY"}, "agency", "选择"),
    ({"ip_type": "<script>"}, "ip_type", "选择"),
    ({"q": "x" * 101}, "q", "100"),
])
def test_bad_input_is_a_message_at_its_field_never_a_500(published, params, field, words):
    response = Client().get(PORTAL, params)
    html = response.content.decode()
    assert response.status_code == 200
    errors = re.search(rf'<ul class="errorlist" id="id_{field}-errors">(.*?)</ul>', html, re.S).group(1)
    assert words in errors, errors
    assert 'class="form-summary"' in html and f'href="#id_{field}"' in html
    assert record_links(html) == [] and "<script>" not in html.split("<body", 1)[1].replace("<script src", "")


def test_junk_pages_and_cursors_are_the_first_or_last_page(office, published):
    client = Client()
    for junk in ("abc", "-1", "0", "99999999999", "1e3"):
        assert len(record_links(page(client, page=junk))) == 2, junk
    assert len(record_links(page(client, page="7"))) == 2  # past the end: the last page


def test_pages_of_twenty_with_a_hard_cap(office, published, monkeypatch):
    record = DisclosureRecord.objects.filter(case=published, party_kind="enterprise").get()
    copies(record, 45)
    client = Client()
    first = page(client)
    assert "共 47 条" in first and "第 1 / 3 页" in first and len(record_links(first)) == 20
    assert 'href="/public/disclosures/?page=2"' in first and 'rel="next"' in first
    third = page(client, page=3)
    assert len(record_links(third)) == 7 and 'rel="prev"' in third
    assert not set(record_links(first)) & set(record_links(third))
    # Newest publication first.
    assert "宜昌复制商贸有限公司44" in first.split("宜昌复制商贸有限公司43")[0]
    monkeypatch.setattr(portal, "MAX_PAGE", 2)
    capped = page(client, page=3)
    assert "第 2 / 2 页" in capped and "只显示前 2 页" in capped and 'rel="next"' not in capped


def test_the_rows_cost_the_same_queries_at_1_and_50(office):
    case = publish_case(office, person=False)
    record = DisclosureRecord.objects.get(case=case)
    made = [1]

    def grow(n):
        if n > made[0]:
            copies(record, n - made[0], start=made[0])
            made[0] = n

    client = Client()
    count = assert_constant_queries(client, f"{PORTAL}?q=宜昌&ip_type=trademark", grow)
    assert count <= 4  # agencies, count, rows (+ the throttle's nothing: the cache)
    _n, response = queries_for(client, PORTAL)
    assert len(record_links(response.content.decode())) == 20


def test_htmx_gets_the_results_and_the_errors_out_of_band(published):
    client = Client()
    rows = client.get(PORTAL, {"q": "某某"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="public-results")
    html = rows.content.decode()
    assert rows.status_code == 200 and "<html" not in html and COMPANY in html
    assert 'id="public-form-summary" hx-swap-oob="true"' in html
    assert "HX-Request" in rows["Vary"]
    bad = client.get(PORTAL, {"decided_after": "yesterday"}, HTTP_HX_REQUEST="true").content.decode()
    assert '<ul class="errorlist" id="id_decided_after-errors" hx-swap-oob="true"><li>' in bad
    assert record_links(bad) == []
    # The form works without script (GET to the same address) and with htmx (swap, URL pushed).
    full = page(client)
    assert re.search(r'<form id="public-search"[^>]*method="get" action="/public/disclosures/"', full)
    assert 'hx-target="#public-results"' in full and 'hx-push-url="true"' in full


def test_assets_are_local_and_nothing_is_inline(office, published):
    record = DisclosureRecord.objects.filter(case=published).first()
    for url in (PORTAL, f"{PORTAL}?decided_after=bad", reverse("public-disclosure-page", args=[record.pk]),
                reverse("public-portal-feeds"), reverse("public-disclosure-page", args=[record.pk + 999])):
        response = Client().get(url)
        html = response.content.decode()
        assert "script-src 'self'" in response["Content-Security-Policy"], url
        sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
        local = [s for s in sources if s.startswith("/static/")]
        assert any("public.css" in s for s in local) and any("htmx" in s for s in local), url
        assert all(s.startswith("/") and not s.startswith("//") for s in sources), sources
        for source in local:
            assert finders.find(source.removeprefix("/static/")), source
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html), url


def test_the_public_css_is_its_own_block():
    css = open(finders.find("casehub/public.css"), encoding="utf-8").read()
    assert css.startswith("/* public portal")


# --- a record ---------------------------------------------------------------------------
def test_a_record_page_shows_the_published_fields_and_its_revisions(office, published):
    company = DisclosureRecord.objects.get(case=published, party_kind="enterprise")
    person = DisclosureRecord.objects.get(case=published, party_kind="individual")
    services.correct(actor=office.head, record_id=company.pk, changes={"fine_amount": "90000.00"},
                     note="复议决定变更罚款金额")
    client = Client()
    html = page(client, reverse("public-disclosure-page", args=[company.pk]))
    for text in (COMPANY, VALID_CREDIT_CODE, "宜市监处罚〔2026〕88号", "《中华人民共和国商标法》第六十条第二款",
                 "¥90,000.00", office.agency.name, "修订历史", "复议决定变更罚款金额", "罚款金额", 'id="r2"',
                 "已更正（第 2 版）"):
        assert text in html, text
    assert "150,000" not in html and "150000" not in html  # the old value is not public any more
    assert '<nav class="breadcrumbs"' in html and f'href="{PORTAL}"' in html
    individual = page(client, reverse("public-disclosure-page", args=[person.pk]))
    assert "张**" in individual and PERSON not in individual and "统一社会信用代码" not in individual


def test_a_revoked_record_is_a_404_like_an_unknown_one(office, published):
    record = DisclosureRecord.objects.get(case=published, party_kind="enterprise")
    client = Client()
    services.correct(actor=office.head, record_id=record.pk, changes={}, note="撤销", revoked=True)
    revoked = client.get(reverse("public-disclosure-page", args=[record.pk]))
    unknown = client.get(reverse("public-disclosure-page", args=[record.pk + 1000]))
    assert revoked.status_code == unknown.status_code == 404
    assert "撤销公示" in revoked.content.decode() and COMPANY not in revoked.content.decode()
    strip = lambda r: re.sub(r'value="[^"]+"', "", r.content.decode())  # noqa: E731
    assert strip(revoked) == strip(unknown)
    assert COMPANY not in page(client)


def test_an_expired_or_pending_record_is_not_public(office):
    case = publish_case(office, person=False)
    record = DisclosureRecord.objects.get(case=case)
    DisclosureRecord.objects.filter(pk=record.pk).update(publicity_ends_on=timezone.localdate() - timedelta(days=1))
    assert Client().get(reverse("public-disclosure-page", args=[record.pk])).status_code == 404
    assert "暂无数据" in page(Client())


def test_the_record_page_costs_constant_queries_whatever_its_corrections(office, published):
    record = DisclosureRecord.objects.get(case=published, party_kind="enterprise")
    url = reverse("public-disclosure-page", args=[record.pk])
    client = Client()
    client.get(url)
    once, _r = queries_for(client, url)
    for i in range(3):
        services.correct(actor=office.head, record_id=record.pk, changes={"legal_basis": f"依据{i}"}, note=f"第{i}次")
    thrice, response = queries_for(client, url)
    assert once == thrice <= 3 and response.content.decode().count("<strong>更正（第") == 3


def test_the_history_is_the_revisions_the_desk_reads_with_the_changed_fields_and_never_old_values(office, published):
    record = DisclosureRecord.objects.get(case=published, party_kind="enterprise")
    services.correct(actor=office.head, record_id=record.pk, changes={"legal_basis": "《商标法》第六十三条"},
                     note="更正处罚依据")
    services.correct(actor=office.head, record_id=record.pk, changes={"fine_amount": "90000.00"}, note="复议变更")
    public = history.revisions(record, public=True)
    desk = history.revisions(record, public=False)
    assert [(h["revision"], h["kind"], h["note"], h["changed"]) for h in public] == [
        (1, "published", "", []), (2, "corrected", "更正处罚依据", ["legal_basis"]),
        (3, "corrected", "复议变更", ["fine_amount"])]
    assert public[0]["on"] == record.published_on
    assert all("snapshot" not in h for h in public)  # nothing of an earlier revision's values
    assert [h["snapshot"]["fine_amount"] for h in desk] == ["150000.00", "150000.00", "90000.00"]
    html = page(Client(), reverse("public-disclosure-page", args=[record.pk]))
    assert "更正事项：处罚依据" in html and "更正事项：罚款金额<" in html
    assert "150,000" not in html and "150000" not in html and "第六十条" not in html  # the old values


def test_a_correction_before_publication_is_no_revision(office):
    case = decided_case(office, person=False)
    record = DisclosureRecord.objects.get(case=case)
    services.correct(actor=office.head, record_id=record.pk, changes={"fine_amount": "120000.00"}, note="未公示前")
    services.approve(actor=office.head, record_id=record.pk)
    html = page(Client(), reverse("public-disclosure-page", args=[record.pk]))
    assert "未公示前" not in html and "<strong>更正（第" not in html and 'id="r1"' in html


def test_the_history_outlives_the_audit_archive(office, tmp_path):
    """Published and corrected 400 days ago (still public: three years),
    the audit entries of it archived and gone: the page keeps its history."""
    with days_ago(400) as then:
        case = publish_case(office, person=False)
        record = DisclosureRecord.objects.get(case=case)
        services.correct(actor=office.head, record_id=record.pk, changes={"legal_basis": "《商标法》第六十三条"},
                         note="更正处罚依据")
    audit.record(user=None, action="case.read", object_type="case", object_id="head")  # the head stays online
    archive(before=timezone.now() - timedelta(days=350), out=tmp_path / "audit.jsonl")
    assert not AuditEntry.objects.filter(object_type="disclosure", object_id=str(record.pk)).exists()
    html = page(Client(), reverse("public-disclosure-page", args=[record.pk]))
    assert 'id="r1"' in html and 'id="r2"' in html and "更正处罚依据" in html and "更正事项：处罚依据" in html
    assert f'<time datetime="{timezone.localdate(then).isoformat()}">' in html


def test_a_record_whose_earlier_revisions_predate_the_table_still_shows_its_publication(office, published):
    """Migration 0004 kept each record's current revision alone."""
    record = DisclosureRecord.objects.get(case=published, party_kind="enterprise")
    services.correct(actor=office.head, record_id=record.pk, changes={"legal_basis": "依据"}, note="更正")
    DisclosureRevision.objects.filter(record=record, revision=1).delete()
    assert [(h["revision"], h["kind"]) for h in history.revisions(record, public=True)] == [
        (1, "published"), (2, "corrected")]


def test_migration_0006_rebuilds_the_earlier_revisions_from_the_audit_entries(office):
    """What 0004 left (the current revision alone) is completed from the
    corrections' audit entries: the very snapshots the services wrote."""
    from django.apps import apps

    earlier_revisions = importlib.import_module("disclosure.migrations.0006_earlier_revisions").earlier_revisions
    case = publish_case(office, person=False, penalties=("fine",))
    record = DisclosureRecord.objects.get(case=case)
    services.correct(actor=office.head, record_id=record.pk, changes={"fine_amount": Decimal("90000.00")},
                     note="复议变更")
    services.correct(actor=office.head, record_id=record.pk, changes={"legal_basis": "《商标法》第六十三条"},
                     note="更正处罚依据")
    written = {r.revision: (r.kind, r.note, r.snapshot) for r in record.revisions.all()}
    assert written[1][2]["publicity_ends_on"] != written[2][2]["publicity_ends_on"]  # a lower fine: 3 months
    record.revisions.filter(revision__lt=3).delete()
    earlier_revisions(apps)
    assert {r.revision: (r.kind, r.note, r.snapshot) for r in record.revisions.all()} == written
    earlier_revisions(apps)  # a second run adds nothing
    assert record.revisions.count() == 3


# --- the feeds' documentation ---------------------------------------------------------------
def test_the_feeds_page_documents_the_change_feed_in_chinese(published):
    html = page(Client(), reverse("public-portal-feeds"))
    for text in ("/api/v1/public/disclosures/changes/", "since", "has_more", "next", "published", "corrected",
                 "withdrawn", "expired", "Retry-After", "429", "游标", "每 60 秒 120 次", "curl", "record_data",
                 reverse("public-disclosures-feed"), reverse("v1:public-disclosures-csv")):
        assert text in html, text


def test_the_documented_fields_are_the_snapshots(office, published):
    record = DisclosureRecord.objects.filter(case=published).first()
    keys = list(services.snapshot(record))
    assert [name for name, _meaning in RECORD_FIELDS] == keys == list(PublicRecordSerializer().fields)
    example = feed_example()["changes"][0]["record_data"]
    assert list(example) == keys and PublicRecordSerializer(data=example).is_valid()


# --- limits --------------------------------------------------------------------------------
def test_a_throttled_visitor_gets_a_friendly_429_page(published, monkeypatch):
    monkeypatch.setattr(PublicThrottle, "rate", "3/min", raising=False)
    client = Client(REMOTE_ADDR="10.1.2.3")
    assert [client.get(PORTAL).status_code for _ in range(3)] == [200] * 3
    record = DisclosureRecord.objects.filter(case=published).first()
    for url in (PORTAL, reverse("public-disclosure-page", args=[record.pk]), reverse("public-portal-feeds")):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 429 and int(response["Retry-After"]) > 0, url
        assert "请求过于频繁" in html and '<html lang="zh-hans">' in html and "秒后再试" in html
    # One budget with the API; another address is not held back.
    assert client.get(reverse("v1:public-disclosures")).status_code == 429
    assert Client(REMOTE_ADDR="10.1.2.4").get(PORTAL).status_code == 200


def test_the_signed_in_frame_links_to_the_portal_but_not_in_its_navigation(office):
    html = signed_in(office.officer).get(reverse("web:workbench")).content.decode()
    nav = html.split('id="sidenav"', 1)[1].split("</nav>", 1)[0]
    assert PORTAL not in nav and f'href="{PORTAL}"' in html


# --- the demo -------------------------------------------------------------------------------
def test_the_demo_shows_on_the_portal(settings):
    """make run: seed_demo, then seed_demo_disclosures publishes most of its decisions."""
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_agencies", verbosity=0)
    call_command("seed_demo", cases=40, verbosity=0, stdout=StringIO())
    call_command("seed_demo_disclosures", verbosity=0, stdout=StringIO())
    html = page(Client())
    assert len(record_links(html)) == min(20, services.public_records().count()) > 0
    first = record_links(html)[0]
    assert "修订历史" in page(Client(), first)
