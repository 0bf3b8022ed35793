"""Repeated failed logins lock a username, or an address, out for the
window, on every login form; a success clears the username's count."""

import pytest
from django.test import Client

from tests.factories import TEST_PASSWORD, Office

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture
def office():
    return Office()


def attempt(client, username, password, url=LOGIN):
    return client.post(url, {"username": username, "password": password})


def signed_in(client) -> bool:
    return client.get("/api/v1/me/").status_code == 200


def test_five_failures_lock_the_username_even_against_the_right_password(office):
    client = Client()
    for _ in range(4):
        assert attempt(client, office.officer.username, "wrong-password-1").status_code == 200
    assert attempt(client, office.officer.username, "wrong-password-1").status_code == 429  # now locked
    response = attempt(client, office.officer.username, TEST_PASSWORD)
    assert response.status_code == 429
    assert "15" in response.content.decode()  # the page says how long
    assert not signed_in(client)


def test_the_lock_holds_on_every_login_form(office):
    for _ in range(5):
        attempt(Client(), office.officer.username, "wrong-password-1")
    browsable = Client()
    attempt(browsable, office.officer.username, TEST_PASSWORD, url="/api-auth/login/")
    assert not signed_in(browsable)
    assert not Client().login(username=office.officer.username, password=TEST_PASSWORD)


def test_another_user_is_not_locked_and_the_window_ends(office):
    from django.core.cache import cache

    for _ in range(5):
        attempt(Client(REMOTE_ADDR="10.0.0.1"), office.officer.username, "wrong-password-1")
    other = Client(REMOTE_ADDR="10.0.0.2")
    attempt(other, office.officer2.username, TEST_PASSWORD)
    assert signed_in(other)
    cache.clear()  # the window has passed
    client = Client()
    attempt(client, office.officer.username, TEST_PASSWORD)
    assert signed_in(client)


def test_a_success_clears_the_usernames_count(office):
    for _ in range(4):
        attempt(Client(), office.officer.username, "wrong-password-1")
    assert signed_in(_signed_in_client(office))
    for _ in range(4):
        attempt(Client(), office.officer.username, "wrong-password-1")
    assert signed_in(_signed_in_client(office))


def _signed_in_client(office):
    client = Client()
    attempt(client, office.officer.username, TEST_PASSWORD)
    return client


def test_an_address_trying_many_usernames_is_locked(office, settings):
    settings.LOGIN_THROTTLE = {**settings.LOGIN_THROTTLE, "per_address": 3}
    for n in range(3):
        attempt(Client(REMOTE_ADDR="10.9.9.9"), f"nobody{n}", "wrong-password-1")
    client = Client(REMOTE_ADDR="10.9.9.9")
    assert attempt(client, office.officer.username, TEST_PASSWORD).status_code == 429
    assert not signed_in(client)
