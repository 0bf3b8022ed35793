"""Browser sessions: the session row and its user are read in one statement
once the process knows whose a session is, and everything read stays
fresh: logout, deactivation and ended memberships take effect at once."""

import time
from datetime import timedelta

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


# --- idle timeout and absolute lifetime (GB/T 22239-2019 8.1.4.1 b) ------------------
def keep_requesting(client, seconds: float) -> list[int]:
    """Status codes of requests every 0.3 s for a while."""
    codes, until = [], time.monotonic() + seconds
    while time.monotonic() < until:
        codes.append(client.get(URL).status_code)
        time.sleep(0.3)
    return codes


def signed_out_notice(client) -> str | None:
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    notice = page.context["signed_out"]
    if notice:
        assert notice in page.content.decode()
    return notice


# Seconds: long enough for a sign-in and a request on a busy machine.
SHORT_IDLE = 3


def test_an_idle_session_ends_on_the_server(office, settings):
    settings.SESSION_IDLE_TIMEOUT = SHORT_IDLE
    client = browser(office.officer)
    assert client.get(URL).status_code == 200
    cookie = client.cookies["sessionid"].value
    time.sleep(SHORT_IDLE + 0.2)
    assert client.get(URL).status_code in (401, 403)
    # The cookie alone does not help: the session row ended.
    again = Client()
    again.cookies["sessionid"] = cookie
    assert again.get(URL).status_code in (401, 403)
    assert Session.objects.get(session_key=cookie).expire_date <= timezone.now()


def test_a_page_after_the_idle_timeout_leads_to_the_sign_in_page_which_says_why(office, settings):
    settings.SESSION_IDLE_TIMEOUT = SHORT_IDLE
    client = browser(office.officer)
    assert client.get("/notifications/").status_code == 200
    time.sleep(SHORT_IDLE + 0.2)
    response = client.get("/notifications/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert signed_out_notice(client) == "You were signed out after 1 minute without activity. Please sign in again."
    assert signed_out_notice(client) is None  # said once
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    # Signing in again works as ever.
    assert browser(office.officer).get(URL).status_code == 200


def test_requests_keep_a_session_alive_past_its_idle_timeout(office, settings):
    settings.SESSION_IDLE_TIMEOUT = SHORT_IDLE
    client = browser(office.officer)
    assert set(keep_requesting(client, 2 * SHORT_IDLE + 0.5)) == {200}  # more than twice the idle timeout


def test_activity_is_written_at_most_once_per_resolution(office):
    """Not a write per request: the idle deadline moves when the last move
    is older than SESSION_ACTIVITY_RESOLUTION (a minute)."""
    client = browser(office.officer)
    client.get(URL)
    client.get(URL)
    key = client.cookies["sessionid"].value
    # As if the last request that moved it were two minutes ago.
    two_minutes_ago = timezone.now() + timedelta(seconds=1800 - 120)
    Session.objects.filter(session_key=key).update(expire_date=two_minutes_ago)
    with CaptureQueriesContext(connection) as moved:
        assert client.get(URL).status_code == 200
    assert len(moved) == 3 and moved[1]["sql"].startswith('UPDATE "django_session"'), [q["sql"][:60] for q in moved]
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + timedelta(seconds=1790)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    assert len(queries) == 2


def test_a_session_ends_at_its_absolute_lifetime_however_active(office, settings):
    settings.SESSION_IDLE_TIMEOUT = SHORT_IDLE
    settings.SESSION_ABSOLUTE_LIFETIME = 2 * SHORT_IDLE
    client = browser(office.officer)
    started = time.monotonic()
    codes = []
    while (not codes or codes[-1] == 200) and time.monotonic() - started < 4 * SHORT_IDLE:
        codes.append(client.get(URL).status_code)
        time.sleep(0.3)
    assert codes[-1] in (401, 403)
    # Kept alive past the idle timeout, then ended at the absolute lifetime.
    assert time.monotonic() - started > SHORT_IDLE + 0.5
    assert signed_out_notice(client) == "Your session reached its limit of 1 hour. Please sign in again."


def test_the_cookie_lasts_the_absolute_lifetime(office, settings):
    settings.SESSION_ABSOLUTE_LIFETIME = 6 * 3600
    client = Client()
    response = client.post("/accounts/login/", {"username": office.officer.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert 6 * 3600 - 5 <= int(response.cookies["sessionid"]["max-age"]) <= 6 * 3600
    row = Session.objects.get(session_key=response.cookies["sessionid"].value)
    # ... while the row, the server's say, ends after the idle timeout.
    assert row.expire_date <= timezone.now() + timedelta(seconds=settings.SESSION_IDLE_TIMEOUT)


def test_a_signed_in_session_without_a_time_of_sign_in_is_refused(office):
    """A session from before the absolute lifetime existed cannot say when
    it began: it ends, and its user signs in again."""
    client = browser(office.officer)
    key = client.cookies["sessionid"].value
    store = sessions.SessionStore(key)
    data = store.load()
    del data[sessions.SIGNED_IN_AT]
    Session.objects.filter(session_key=key).update(session_data=store.encode(data))
    assert client.get(URL).status_code in (401, 403)


def test_a_session_ended_elsewhere_says_so_on_the_sign_in_page(office):
    client = browser(office.officer)
    assert client.get(URL).status_code == 200
    Session.objects.all().delete()
    assert client.get("/notifications/").status_code == 302
    assert signed_out_notice(client) == "Your session has ended. Please sign in again."


def test_a_logout_is_no_expiry(office):
    client = browser(office.officer)
    client.post("/accounts/logout/")
    assert signed_out_notice(client) is None
