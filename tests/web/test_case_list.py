"""/cases/ — the case list page: the listing's filters as a form, both
orders with cursor pages, HTMX rows, the visibility rule, bad input."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from casehub import access
from casehub.models import Case, Party
from tests.factories import VALID_CREDIT_CODE, RegionFactory, make_case

from .helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(**params):
    query = urlencode(params, doseq=True)
    return reverse("web:case-list") + (f"?{query}" if query else "")


def listed(client, **params) -> list[int]:
    response = client.get(url(**params))
    assert response.status_code == 200
    assert not response.context["form"].errors, response.context["form"].errors
    return [row["id"] for row in response.context["rows"]]


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(url(status="lead"))
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={reverse('web:case-list')}")


def test_the_officer_sees_the_agency_s_cases_newest_first_with_a_link_to_each(office):
    cases = [make_case(office, title=f"案件{i}") for i in range(3)]
    response = signed_in(office.officer).get(url())
    assert response.status_code == 200
    assert [r["id"] for r in response.context["rows"]] == [c.pk for c in reversed(cases)]
    html = response.content.decode()
    for case in cases:
        assert case.number in html  # never truncated
        assert f'href="{reverse("web:case", args=[case.pk])}"' in html
    assert 'class="badge badge-lead"' in html and "<form" in html


def test_an_outsider_sees_none_of_the_office_s_cases(office, outsider, stranger):
    cases = [make_case(office) for _ in range(3)]
    for user in (outsider, stranger):
        response = signed_in(user).get(url())
        assert response.status_code == 200
        assert response.context["rows"] == []
        html = response.content.decode()
        assert not any(c.number in html for c in cases)
        assert "暂无数据" in html
    # A case shared with the outsider's agency is listed for it, and only that one.
    access.grant_case(cases[0], outsider.memberships.get().agency)
    assert listed(signed_in(type(outsider).objects.get(pk=outsider.pk))) == [cases[0].pk]


@pytest.fixture
def varied(office):
    """Cases that differ in one filtered attribute each from `plain`."""
    today = timezone.localdate()
    district = RegionFactory(code="420502", name="西陵区", parent=office.region)
    c = {
        "plain": make_case(office),
        "patent": make_case(office, ip_type="invention_patent", kind="patent_adjudication"),
        "campaign": make_case(office, campaign="铁拳"),
        "district": make_case(office, region=district),
        "old": make_case(office, lead_received_on=today - timedelta(days=40)),
    }
    Party.objects.create(case=c["plain"], role="respondent", kind="enterprise", name="宜昌某商贸有限公司",
                         credit_code=VALID_CREDIT_CODE)
    Party.objects.create(case=c["campaign"], role="informant", kind="individual", name="举报人李某")
    Case.objects.filter(pk=c["patent"].pk).update(status="filed", filed_on=today - timedelta(days=20))
    Case.objects.filter(pk=c["campaign"].pk).update(status="decided", decision_date=today - timedelta(days=3))
    Case.objects.filter(pk=c["old"].pk).update(next_deadline_on=today - timedelta(days=2))
    Case.objects.filter(pk=c["district"].pk).update(next_deadline_on=today + timedelta(days=3),
                                                    created_at=timezone.now() - timedelta(days=10))
    Case.objects.exclude(pk__in=[c["old"].pk, c["district"].pk]).update(next_deadline_on=None)
    return c


def test_every_filter_of_the_form(office, varied):
    c, client, today = varied, signed_in(office.officer), timezone.localdate()
    ids = lambda *names: sorted((c[n].pk for n in names), reverse=True)  # noqa: E731
    day = lambda n: (today + timedelta(days=n)).isoformat()  # noqa: E731
    every = ids(*c)
    assert listed(client) == every
    assert listed(client, status=["filed", "decided"]) == ids("patent", "campaign")
    assert listed(client, ip_type="invention_patent") == ids("patent")
    assert listed(client, kind="patent_adjudication") == ids("patent")
    assert listed(client, campaign="铁拳") == ids("campaign")
    assert listed(client, region="420502") == ids("district")
    assert listed(client, region="420500") == every  # the city and the regions below it
    assert listed(client, party="商贸") == ids("plain")
    assert listed(client, party=VALID_CREDIT_CODE.lower()) == ids("plain")
    assert listed(client, party="举报人") == []  # informants are not found by name
    assert listed(client, lead_received_before=day(-30)) == ids("old")
    assert listed(client, lead_received_after=day(-30)) == ids("plain", "patent", "campaign", "district")
    assert listed(client, filed_after=day(-25), filed_before=day(-15)) == ids("patent")
    assert listed(client, decided_after=day(-5)) == ids("campaign")
    assert listed(client, created_before=day(-5)) == ids("district")
    assert listed(client, created_after=day(0), created_before=day(0)) == ids("plain", "patent", "campaign", "old")
    assert listed(client, overdue="true") == ids("old")
    assert listed(client, overdue="false") == ids("plain", "patent", "campaign", "district")
    assert listed(client, due_before=day(5)) == ids("old", "district")
    # Filters combine.
    assert listed(client, status="lead", region="420500", overdue="false") == ids("plain", "district")


def test_the_form_keeps_the_filters_and_the_export_links_carry_them(office, varied):
    response = signed_in(office.officer).get(url(status=["lead", "filed"], party="商贸", order="deadline"))
    html = response.content.decode()
    assert 'value="商贸"' in html
    assert response.context["form"]["status"].value() == ["lead", "filed"] and html.count(" checked") == 2
    assert response.context["form"]["order"].value() == "deadline"
    export = response.context["export_csv"]
    assert export.startswith(reverse("web:case-export", args=["csv"]) + "?")
    assert "status=lead&status=filed" in export and "order=deadline" in export and "cursor" not in export


def test_order_by_deadline_pages_forward_and_back(office):
    today = timezone.localdate()
    cases = [make_case(office) for _ in range(7)]
    due = [4, None, -1, 4, 10, None, 2]
    for case, days in zip(cases, due, strict=True):
        Case.objects.filter(pk=case.pk).update(next_deadline_on=None if days is None else today + timedelta(days=days))
    expected = [c.pk for d, c in sorted(zip(due, cases, strict=True), key=lambda p: (p[0] is None, p[0] or 0, p[1].pk))]
    client = signed_in(office.officer)
    assert listed(client, order="deadline") == expected

    forward, pages, address = [], [], url(order="deadline", page_size=3)
    while address:
        response = client.get(address, **HTMX)  # the pager's links, as HTMX follows them
        pages.append(response)
        forward += [r["id"] for r in response.context["rows"]]
        address = response.context["next_url"]
    assert forward == expected and len(pages) == 3
    assert pages[0].context["previous_url"] is None
    backward, address = [], pages[-1].context["previous_url"]
    while address:
        response = client.get(address)
        backward = [r["id"] for r in response.context["rows"]] + backward
        address = response.context["previous_url"]
    assert backward == expected[:6]
    assert "上一页" in pages[1].content.decode() and "下一页" in pages[1].content.decode()


def test_an_htmx_request_gets_the_rows_only_and_the_back_button_the_whole_page(office):
    case = make_case(office)
    client = signed_in(office.officer)
    full = client.get(url(status="lead"))
    rows = client.get(url(status="lead"), **HTMX)
    restored = client.get(url(status="lead"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    for response in (full, rows, restored):
        assert response.status_code == 200 and case.number in response.content.decode()
        assert "HX-Request" in response["Vary"] and "no-store" in response["Cache-Control"]
    assert "<html" in full.content.decode() and 'id="case-filters"' in full.content.decode()
    assert "<html" not in rows.content.decode() and 'id="case-filters"' not in rows.content.decode()
    assert "<tbody>" in rows.content.decode()
    assert "<html" in restored.content.decode()


def test_queries_do_not_grow_with_the_rows(office):
    client = signed_in(office.officer)

    def grow(n):
        for _ in range(n - Case.objects.count()):
            make_case(office)

    for address in (url(), url(order="deadline", status="lead"), url(mine="true", order="deadline")):
        assert_constant_queries(client, address, grow)
        assert_constant_queries(client, address, grow, **HTMX)


@pytest.mark.parametrize("params,field", [
    ({"status": "bogus"}, "status"),
    ({"ip_type": "bogus"}, "ip_type"),
    ({"kind": "bogus"}, "kind"),
    ({"campaign": "bogus"}, "campaign"),
    ({"region": "999999"}, "region"),
    ({"party": "名" * 101}, "party"),
    ({"overdue": "maybe"}, "overdue"),
    ({"mine": "maybe"}, "mine"),
    ({"due_before": "2026-02-30"}, "due_before"),
    ({"filed_after": "2026-05-01", "filed_before": "2026-01-01"}, "filed_after"),
    ({"order": "soonest"}, "order"),
    ({"cursor": "not-a-cursor"}, None),
    ({"page_size": "0"}, None),
])
def test_bad_filters_show_at_the_field_with_no_rows(office, params, field):
    make_case(office)
    client = signed_in(office.officer)
    response = client.get(url(**params))
    assert response.status_code == 200
    form = response.context["form"]
    assert response.context["rows"] == []
    html = response.content.decode()
    assert "筛选条件有误" in html
    if field:
        assert form.errors[field]
        assert 'aria-invalid="true"' in html
        assert f'id="errors-{field}"><ul class="errorlist"' in html
    else:
        assert form.non_field_errors()
    # The rows fragment brings its errors out of band, to the fields of the form on the page.
    fragment = client.get(url(**params), **HTMX).content.decode()
    assert '<div id="filter-summary" hx-swap-oob="true">' in fragment and "筛选条件有误" in fragment
    assert "<html" not in fragment
    if field:
        assert f'id="errors-{field}" hx-swap-oob="true"><ul class="errorlist"' in fragment


def test_only_my_cases_a_select_in_the_form_for_the_page_and_its_htmx_rows(office):
    mine = make_case(office, lead_officer=office.head, handlers=[office.officer])
    colleagues = make_case(office, lead_officer=office.officer2, handlers=[office.reviewer])
    client = signed_in(office.officer)
    assert listed(client) == [colleagues.pk, mine.pk]
    assert listed(client, mine="false") == [colleagues.pk, mine.pk]
    assert listed(client, mine="true") == [mine.pk]
    assert listed(client, mine="true", status="filed") == []
    response = client.get(url(mine="true"))
    html = response.content.decode()
    assert '<label for="id_mine">我的案件</label>' in html
    assert '<select id="id_mine" name="mine">' in html
    assert '<option value="true" selected>仅我的案件</option>' in html
    assert response.context["filtered"] and "mine=true" in response.context["export_csv"]
    rows = client.get(url(mine="true"), **HTMX)
    text = rows.content.decode()
    assert "<html" not in text and mine.number in text and colleagues.number not in text


def test_an_empty_list_offers_to_log_a_lead_to_who_may(office):
    html = signed_in(office.officer).get(reverse("web:case-list")).content.decode()
    assert 'class="empty-state"' in html
    assert f'<a href="{reverse("web:case-new")}">' in html
