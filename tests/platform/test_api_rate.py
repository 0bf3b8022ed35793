"""The per-user API rate is applied (issue 11, defect 9): past the "user"
rate a person's requests are a 429 with Retry-After, whichever way they
authenticate; a service account counts against its own "service" rate; one
user's flood does not hold another back."""

import pytest
from django.test import Client

from casehub.rate_limits import parse_rate
from tests.factories import Office, service_account, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_rates(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                                          "user": "3/min", "service": "5/min"}}


def statuses(client, n, path="/api/v1/cases/"):
    return [client.get(path).status_code for _ in range(n)]


def test_a_user_past_the_rate_gets_429_with_retry_after(small_rates):
    office = Office()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(office.officer)}")
    assert statuses(api, 3) == [200] * 3
    refused = api.get("/api/v1/me/")  # one budget for the whole API
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    browser = Client()
    browser.force_login(office.officer)  # the same person by session: the same budget
    assert browser.get("/api/v1/cases/").status_code == 429
    other = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(office.officer2)}")
    assert statuses(other, 3) == [200] * 3


def test_a_service_account_has_its_own_scope(small_rates):
    office = Office()
    svc = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(service_account(office.agency))}")
    assert statuses(svc, 5) == [200] * 5
    assert svc.get("/api/v1/cases/").status_code == 429


def test_the_default_rates_are_generous(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert parse_rate(rates["user"]) == (6000, 60)
    assert parse_rate(rates["service"])[0] >= 6000
    assert parse_rate("120/min") == (120, 60) and parse_rate("10/s") == (10, 1)
