"""/search/: the search page on the same service and permission filter as
the API. The permission test runs on both backends (Elasticsearch through
osmem on loopback, and the database); the rest on the database backend."""

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from casehub.templatetags.casehub_search import safe_highlight
from search.backends import get_backend
from tests.factories import Office, make_case
from tests.search.conftest import search_backend  # noqa: F401 — the fixture, both backends
from tests.search.two_offices import indexed, two_offices_indexed

from .helpers import assert_constant_queries, signed_in

URL = reverse("web:search")


@pytest.fixture
def offices(db):
    return two_offices_indexed()


@pytest.mark.django_db(transaction=True)
def test_an_outsiders_cases_are_in_no_hit_and_no_facet_count_on_either_backend(search_backend, offices):  # noqa: F811
    mine, theirs = offices
    response = signed_in(mine.officer).get(URL, {"q": "商标"})
    page = response.content.decode()
    assert response.status_code == 200
    assert [h["title"] for h in response.context["hits"]] == ["销售假冒注册商标的白酒案"]
    assert "荆州" not in page and "茶叶" not in page
    assert response.context["found"]["count"] == 1
    counts = {f["name"]: sum(b["count"] for b in f["buckets"]) for f in response.context["facets"]}
    assert counts["status"] == 1 and counts["agency"] == 1
    # 荆州's agency and its copyright case are in no facet.
    labels = [b["label"] for f in response.context["facets"] for b in f["buckets"]]
    assert theirs.agency.name not in labels and "著作权" not in page
    assert "<mark>" in page  # the highlight
    # All of mine, browsed: still none of theirs.
    browse = signed_in(mine.officer).get(URL, {"sort": "recent"})
    assert browse.context["found"]["count"] == 2 and "荆州" not in browse.content.decode()
    assert signed_in(theirs.officer).get(URL, {"q": "商标"}).context["found"]["count"] == 1


def test_a_hit_links_to_its_case_page(offices):
    mine, _ = offices
    page = signed_in(mine.officer).get(URL, {"q": "白酒"})
    hit = page.context["hits"][0]
    assert f'href="{reverse("web:case", args=[hit["id"]])}"' in page.content.decode()


def test_a_facet_click_filters_and_the_chip_removes_it(offices):
    mine, _ = offices
    client = signed_in(mine.officer)
    first = client.get(URL, {"q": "案"})
    assert first.context["found"]["count"] == 2
    ip_type = next(f for f in first.context["facets"] if f["name"] == "ip_type")
    design = next(b for b in ip_type["buckets"] if b["label"] == "外观设计")
    assert "ip_type=design_patent" in design["url"] and not design["active"]
    filtered = client.get(URL + design["url"])
    assert filtered.context["found"]["count"] == 1
    assert [h["title"] for h in filtered.context["hits"]] == ["侵犯外观设计专利权案"]
    chip, = filtered.context["chips"]
    assert chip["label"] == "外观设计" and "ip_type" not in chip["url"]
    assert client.get(URL + chip["url"]).context["found"]["count"] == 2


def test_htmx_gets_the_search_region_only(offices):
    mine, _ = offices
    response = signed_in(mine.officer).get(URL, {"q": "白酒"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search")
    page = response.content.decode()
    assert "<mark>白酒</mark>" in page and "<html" not in page and 'id="search-q"' in page


@pytest.mark.parametrize("q", ["secret:x", "商" * 501])
def test_bad_syntax_is_a_message_at_the_query_box(offices, q):
    mine, _ = offices
    response = signed_in(mine.officer).get(URL, {"q": q})
    assert response.status_code == 200
    assert response.context["errors"]["q"]
    assert 'aria-invalid="true"' in response.content.decode()
    assert response.context["found"] is None


def test_a_bad_filter_is_a_message_not_a_500(offices):
    mine, _ = offices
    response = signed_in(mine.officer).get(URL, {"status": "nonsense"})
    assert response.status_code == 200 and response.context["general_errors"]


def test_the_search_server_down_is_a_clear_message(offices):
    mine, _ = offices
    from elasticsearch import ConnectionError as Down

    with mock.patch.object(type(get_backend()), "search", side_effect=Down("down")):
        response = signed_in(mine.officer).get(URL, {"q": "白酒"})
    assert response.status_code == 200 and response.context["unavailable"]
    assert "搜索暂时不可用" in response.content.decode()


def test_the_first_visit_shows_the_help_and_searches_nothing(offices):
    mine, _ = offices
    response = signed_in(mine.officer).get(URL)
    assert response.status_code == 200 and response.context["found"] is None
    assert "number:" in response.content.decode()


def test_anonymous_is_sent_to_sign_in():
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/search/")


def test_pages(offices):
    mine, _ = offices
    for n in range(3):
        make_case(mine, title=f"白酒案{n}")
    indexed()
    client = signed_in(mine.officer)
    first = client.get(URL, {"q": "白酒", "page_size": 2})
    assert first.context["pages"]["last"] == 2 and first.context["pages"]["next"]
    second = client.get(URL + first.context["pages"]["next"])
    assert second.context["pages"]["current"] == 2 and len(second.context["hits"]) == 2


@pytest.mark.django_db
def test_queries_are_constant_at_1_and_50_hits():
    office = Office()

    from casehub.models import Case

    def grow_cases(n):
        for i in range(Case.objects.count(), n):
            make_case(office, title=f"白酒案{i}", facts=f"销售白酒{i}箱")
        indexed()

    assert_constant_queries(signed_in(office.officer), f"{URL}?q=白酒&page_size=50", grow_cases)


def test_highlights_keep_only_the_highlight_tags():
    # The database backend escapes; a search server may not. Neither gets markup through.
    assert safe_highlight('<script>alert(1)</script><em>商标</em>') == \
        "&lt;script&gt;alert(1)&lt;/script&gt;<mark>商标</mark>"
    assert safe_highlight("&lt;b&gt;<em>白酒</em>") == "&lt;b&gt;<mark>白酒</mark>"
    assert safe_highlight('<em onclick="x">a</em><em>b') == "&lt;em onclick=&quot;x&quot;&gt;a<mark>b</mark>"


@pytest.mark.django_db(transaction=True)
def test_a_title_with_markup_is_shown_as_text_on_either_backend(search_backend):  # noqa: F811
    office = Office()
    make_case(office, title="<img src=x onerror=alert(1)>白酒案", facts="<b>白酒</b>若干")
    indexed()
    page = signed_in(office.officer).get(URL, {"q": "白酒"}).content.decode()
    assert "<img src=x" not in page and "<b>白酒" not in page and "&lt;b&gt;" in page
    assert "&amp;lt;" not in page  # escaped once, not twice
