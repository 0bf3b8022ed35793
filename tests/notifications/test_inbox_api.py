"""/api/v1/notifications/ and its preferences, through the real router."""

import pytest
from django.db import transaction

from notifications.inbox import store
from notifications.models import Notification
from tests.factories import AgencyFactory, member

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications/"


def notify(user, count=1, kind="case_closed"):
    with transaction.atomic():
        return store([Notification(recipient=user, kind=kind, text=f"案件已结案{i}", payload={"params": {"number": f"N{i}"}})
                      for i in range(count)])


@pytest.fixture
def people():
    agency = AgencyFactory()
    return member(agency, username="alice"), member(agency, username="bob")


def test_my_inbox_newest_first_with_unread_count(api, people):
    alice, bob = people
    notify(alice, 3)
    notify(bob, 2)
    api.force_authenticate(alice)
    body = api.get(URL).json()
    assert [n["seq"] for n in body["results"]] == [3, 2, 1]
    assert body["unread_count"] == 3 and {n["read"] for n in body["results"]} == {False}
    assert body["results"][0]["text"] == "案件N2已结案"


def test_text_follows_the_callers_language(api, people):
    alice, _ = people
    notify(alice)
    api.force_authenticate(alice)
    english = api.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]["text"]
    assert english == "Case N0 was closed"


def test_mark_one_and_all_read(api, people):
    alice, bob = people
    rows = notify(alice, 3)
    theirs = notify(bob)[0]
    api.force_authenticate(alice)
    done = api.post(f"{URL}{rows[0].pk}/read/")
    assert done.status_code == 200 and done.json() == {"changed": 1, "unread": 2}
    assert [n["seq"] for n in api.get(URL, {"unread": "true"}).json()["results"]] == [3, 2]
    # Another user's notification does not exist for me, and stays unread.
    assert api.post(f"{URL}{theirs.pk}/read/").status_code == 404
    assert api.post(f"{URL}abc/read/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert api.post(f"{URL}read-all/").json() == {"changed": 2, "unread": 0}
    assert api.get(URL).json()["unread_count"] == 0


def test_bad_filters_are_400(api, people):
    api.force_authenticate(people[0])
    assert api.get(URL, {"unread": "maybe"}).status_code == 400
    response = api.get(URL, {"kind": "nonsense"})
    assert response.status_code == 400 and "kind" in response.json()


def test_anonymous_is_refused(api):
    assert api.get(URL).status_code in (401, 403)


def test_list_queries_do_not_grow_with_the_page(api, people, django_assert_num_queries):
    alice, _ = people
    notify(alice, 60)
    api.force_authenticate(alice)
    with django_assert_num_queries(2):  # page, unread count
        assert len(api.get(URL, {"page_size": 1}).json()["results"]) == 1
    with django_assert_num_queries(2):
        assert len(api.get(URL, {"page_size": 50}).json()["results"]) == 50


def test_preferences_read_and_change(api, people):
    alice, _ = people
    api.force_authenticate(alice)
    current = api.get(f"{URL}preferences/").json()["preferences"]
    assert {p["kind"] for p in current} >= {"transfer_sent", "deadline_due", "mentioned"}
    assert all(p["enabled"] and p["scope"] == "personal" for p in current)
    changed = api.put(f"{URL}preferences/", {"preferences": [
        {"kind": "transfer_sent", "scope": "agency"}, {"kind": "case_closed", "enabled": False},
    ]}, format="json")
    assert changed.status_code == 200
    by_kind = {p["kind"]: p for p in changed.json()["preferences"]}
    assert by_kind["transfer_sent"]["scope"] == "agency" and by_kind["case_closed"]["enabled"] is False


@pytest.mark.parametrize("bad", [
    {"preferences": [{"kind": "nonsense"}]},
    {"preferences": [{"kind": "case_closed", "scope": "everyone"}]},
    {"preferences": [{"kind": "case_closed"}, {"kind": "case_closed", "enabled": False}]},
    {"preferences": "all"},
    {},
])
def test_bad_preferences_are_400_and_change_nothing(api, people, bad):
    alice, _ = people
    api.force_authenticate(alice)
    api.put(f"{URL}preferences/", {"preferences": [{"kind": "case_closed", "enabled": False}]}, format="json")
    response = api.put(f"{URL}preferences/", bad, format="json")
    assert response.status_code == 400
    prefs = {p["kind"]: p for p in api.get(f"{URL}preferences/").json()["preferences"]}
    assert prefs["case_closed"]["enabled"] is False
