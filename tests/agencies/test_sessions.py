"""Browser sessions: the session row and its user are read in one statement
once the process knows whose a session is, and everything read stays
fresh: logout, deactivation and ended memberships take effect at once."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies import sessions
from tests.factories import TEST_PASSWORD, Office, make_case

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/"


@pytest.fixture
def office():
    return Office()


def browser(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def test_a_signed_in_list_costs_two_queries_session_with_user_and_the_page(office):
    case = make_case(office)
    client = browser(office.officer)
    assert client.get(URL).status_code == 200  # the process learns whose session it is
    client.get(URL)  # calendar and permission ids cached, as in a running process
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [case.pk]
    assert len(queries) == 2, [q["sql"][:120] for q in queries]
    assert "django_session" in queries[0]["sql"] and "agencies_membership" in queries[0]["sql"]


def test_logout_ends_the_session_at_once(office):
    client = browser(office.officer)
    assert client.get(URL).status_code == 200
    client.post("/accounts/logout/")
    assert client.get(URL).status_code in (401, 403)


def test_an_expired_or_deleted_session_row_is_refused(office):
    client = browser(office.officer)
    assert client.get(URL).status_code == 200
    Session.objects.update(expire_date=timezone.now())
    assert client.get(URL).status_code in (401, 403)


def test_a_deactivated_user_is_refused_at_once(office):
    client = browser(office.officer)
    assert client.get(URL).status_code == 200
    type(office.officer).objects.filter(pk=office.officer.pk).update(is_active=False)
    assert client.get(URL).status_code in (401, 403)


def test_an_ended_membership_takes_effect_on_the_next_request(office):
    case = make_case(office)
    client = browser(office.officer)
    assert client.get(f"{URL}{case.pk}/").status_code == 200
    office.officer.memberships.update(ended_at=timezone.now())
    assert client.get(f"{URL}{case.pk}/").status_code == 404
    assert client.get(URL).json()["results"] == []


def test_a_changed_password_ends_other_sessions(office):
    client = browser(office.officer)
    assert client.get(URL).status_code == 200
    office.officer.set_password("another-password-2026")
    office.officer.save()
    assert client.get(URL).status_code in (401, 403)


def test_the_user_read_with_a_session_is_used_only_if_the_session_is_theirs(office):
    """Were the process to expect the wrong user for a session, the request
    still acts as the session's own user."""
    mine = make_case(office)
    other = Office(code="421000-SCJG", short_name="荆市监")
    theirs = make_case(other)
    client = browser(office.officer)
    assert client.get(URL).status_code == 200
    key = client.cookies["sessionid"].value
    sessions._remember_owner(key, other.officer.pk)
    response = client.get(URL)
    assert [c["id"] for c in response.json()["results"]] == [mine.pk]
    assert theirs.pk not in [c["id"] for c in response.json()["results"]]
    assert response.wsgi_request.user == office.officer


def test_two_browsers_each_see_their_own_agency(office):
    other = Office(code="421000-SCJG", short_name="荆市监")
    mine, theirs = make_case(office), make_case(other)
    a, b = browser(office.officer), browser(other.officer)
    for _ in range(3):
        assert [c["id"] for c in a.get(URL).json()["results"]] == [mine.pk]
        assert [c["id"] for c in b.get(URL).json()["results"]] == [theirs.pk]


def test_the_user_read_with_the_session_is_as_the_orm_would_give_it(office):
    """Plain SQL, but the same values: aware datetimes on every database."""
    client = browser(office.officer)
    client.get(URL)
    user = client.get(URL).wsgi_request.user
    fresh = type(office.officer).objects.get(pk=office.officer.pk)
    for field in fresh._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(fresh, field.attname), field.name
    assert user.date_joined.tzinfo is not None
