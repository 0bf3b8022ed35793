"""The case list's parameters, pages and scope (casehub/listing/, through the API)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casehub import access
from casehub.models import Case, Party
from tests.factories import Office, make_case

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/"


@pytest.fixture
def office():
    return Office()


def ids(api, **params):
    response = api.get(URL, params)
    assert response.status_code == 200, response.content
    return [c["id"] for c in response.json()["results"]]


def test_pages_forward_then_back_cover_the_list_once_in_order(api, office):
    created = [make_case(office).pk for _ in range(7)]
    api.force_authenticate(office.officer)
    forward, url, pages = [], f"{URL}?page_size=3", []
    while url:
        body = api.get(url).json()
        pages.append(body)
        forward += [c["id"] for c in body["results"]]
        url = body["next"]
    assert forward == sorted(created, reverse=True)
    assert pages[0]["previous"] is None and pages[-1]["next"] is None
    backward, url = [], pages[-1]["previous"]
    while url:
        body = api.get(url).json()
        backward = [c["id"] for c in body["results"]] + backward
        url = body["previous"]
    assert backward == forward[: len(forward) - len(pages[-1]["results"])]


def test_filters_by_kind_agency_campaign_dates_and_deadline(api, office):
    today = timezone.localdate()
    a = make_case(office, kind="patent_adjudication", campaign="铁拳",
                  lead_received_on=today - timedelta(days=10))
    b = make_case(office)
    Case.objects.filter(pk=a.pk).update(next_deadline_on=today + timedelta(days=3))
    Case.objects.filter(pk=b.pk).update(next_deadline_on=today + timedelta(days=30))
    api.force_authenticate(office.officer)
    assert ids(api, kind="patent_adjudication") == [a.pk]
    assert ids(api, kind=["patent_adjudication", "administrative_penalty"]) == [b.pk, a.pk]
    assert ids(api, campaign="铁拳") == [a.pk]
    assert ids(api, agency=office.agency.pk) == [b.pk, a.pk]
    assert ids(api, agency=office.agency.pk + 1000) == []
    assert ids(api, lead_received_before=(today - timedelta(days=5)).isoformat()) == [a.pk]
    assert ids(api, lead_received_after=(today - timedelta(days=5)).isoformat()) == [b.pk]
    assert ids(api, due_before=(today + timedelta(days=5)).isoformat()) == [a.pk]
    assert ids(api, overdue="false") == [b.pk, a.pk]
    # created_…: whole local days.
    assert ids(api, created_after=today.isoformat(), created_before=today.isoformat()) == [b.pk, a.pk]
    assert ids(api, created_before=(today - timedelta(days=1)).isoformat()) == []


def test_party_text_is_matched_literally(api, office):
    a, b = make_case(office), make_case(office)
    Party.objects.create(case=a, role="respondent", kind="enterprise", name="百分之百_商贸%有限公司")
    Party.objects.create(case=b, role="respondent", kind="enterprise", name="宜昌某商贸有限公司")
    api.force_authenticate(office.officer)
    assert ids(api, party="%") == [a.pk]
    assert ids(api, party="_") == [a.pk]
    assert ids(api, party="商贸") == [b.pk, a.pk]


@pytest.mark.parametrize("params,field", [
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"cursor": "eDEy"}, "cursor"),  # base64 of "x12"
    ({"page_size": "0"}, "page_size"),
    ({"page_size": "201"}, "page_size"),
    ({"page_size": "many"}, "page_size"),
    ({"overdue": "maybe"}, "overdue"),
    ({"kind": "bogus"}, "kind"),
    ({"campaign": "bogus"}, "campaign"),
    ({"agency": "x"}, "agency"),
    ({"due_before": "2026-02-30"}, "due_before"),
    ({"created_after": "2026-05-01", "created_before": "2026-01-01"}, "created"),
    ({"party": "名" * 101}, "party"),
    ({"mine": "maybe"}, "mine"),
])
def test_bad_parameters_are_400_with_the_field(api, office, params, field):
    make_case(office)
    api.force_authenticate(office.officer)
    response = api.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_shared_case_is_listed_once_for_the_agency_it_was_shared_with_and_for_nobody_else(api, office):
    other = Office(code="421000-SCJG", short_name="荆市监")
    third = Office(code="420800-SCJG", short_name="荆门市监")
    shared = make_case(office)
    access.grant_case(shared, other.agency)
    own = make_case(other)
    api.force_authenticate(other.officer)
    assert ids(api) == [own.pk, shared.pk]
    assert ids(api, status="lead") == [own.pk, shared.pk]
    api.force_authenticate(third.officer)
    assert ids(api) == []


def test_a_user_in_two_agencies_sees_both(api, office):
    from agencies.roles import Role
    from tests.factories import MembershipFactory

    other = Office(code="421000-SCJG", short_name="荆市监")
    a, b = make_case(office), make_case(other)
    access.grant_case(a, other.agency)  # owned by one, shared with the other: listed once
    MembershipFactory(user=office.officer, agency=other.agency, role=Role.OFFICER)
    api.force_authenticate(type(office.officer).objects.get(pk=office.officer.pk))
    assert ids(api) == [b.pk, a.pk]


def walk_pages(api, url):
    """Forward to the end, then back to the start: the ids of each way."""
    forward, pages = [], []
    while url:
        body = api.get(url).json()
        pages.append(body)
        forward += [c["id"] for c in body["results"]]
        url = body["next"]
    backward, url = [], pages[-1]["previous"]
    while url:
        body = api.get(url).json()
        backward = [c["id"] for c in body["results"]] + backward
        url = body["previous"]
    return forward, backward, pages


def test_order_by_deadline_soonest_first_undated_last_pages_both_ways(api, office):
    today = timezone.localdate()
    cases = [make_case(office) for _ in range(8)]
    due = {0: 5, 1: -2, 2: 5, 3: None, 4: 1, 5: None, 6: 30, 7: 1}  # two ties, two undated
    for i, days in due.items():
        Case.objects.filter(pk=cases[i].pk).update(
            next_deadline_on=None if days is None else today + timedelta(days=days))
    expected = [c.pk for _, c in sorted(
        ((due[i] if due[i] is not None else 10**6, c.pk), c) for i, c in enumerate(cases))]
    api.force_authenticate(office.officer)
    assert ids(api, order="deadline", page_size=50) == expected
    forward, backward, pages = walk_pages(api, f"{URL}?order=deadline&page_size=3")
    assert forward == expected
    assert pages[0]["previous"] is None and pages[-1]["next"] is None
    assert backward == forward[: len(forward) - len(pages[-1]["results"])]
    # Filters hold in this order too.
    assert ids(api, order="deadline", overdue="true") == [cases[1].pk]


def test_a_cursor_belongs_to_its_order(api, office):
    for _ in range(3):
        make_case(office)
    api.force_authenticate(office.officer)
    newest_next = api.get(URL, {"page_size": 1}).json()["next"]
    deadline_next = api.get(URL, {"page_size": 1, "order": "deadline"}).json()["next"]
    cursor_of = lambda url: url.split("cursor=")[1].split("&")[0]  # noqa: E731
    assert api.get(URL, {"order": "deadline", "cursor": cursor_of(newest_next)}).status_code == 400
    assert api.get(URL, {"cursor": cursor_of(deadline_next)}).status_code == 400
    assert api.get(URL, {"order": "soonest"}).json().keys() == {"order"}


def test_mine_lists_exactly_the_cases_i_lead_or_handle_and_composes_with_other_filters(api, office):
    from django.http import QueryDict

    from casehub import listing

    led = make_case(office, lead_officer=office.officer, handlers=[office.officer2])
    handled = make_case(office, lead_officer=office.head, handlers=[office.reviewer, office.officer],
                        kind="patent_adjudication")
    colleagues = make_case(office, lead_officer=office.officer2, handlers=[office.reviewer])
    api.force_authenticate(office.officer)
    assert ids(api, mine="true") == [handled.pk, led.pk]
    assert ids(api, mine="1", kind="patent_adjudication") == [handled.pk]
    assert ids(api, mine="true", kind="administrative_penalty", agency=office.agency.pk) == [led.pk]
    assert ids(api, mine="false") == ids(api) == [colleagues.pk, handled.pk, led.pk]
    api.force_authenticate(office.reviewer)
    assert ids(api, mine="true") == [colleagues.pk, handled.pk]
    # The export's count and walk read the same listing, for the same user.
    values = listing.parse(QueryDict("mine=true"))
    assert listing.count(office.officer2, values) == 2
    assert [row[0] for row in listing.walk(office.officer2, values, batch=1)] == [colleagues.pk, led.pk]
