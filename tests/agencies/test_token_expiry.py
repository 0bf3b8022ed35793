"""API tokens expire: 90 days by default (API_TOKEN_LIFETIME_DAYS), shorter
on request, longer only for a platform administrator; an expired token is a
401; the list shows when each was last used; with the second factor
required, only a session that passed it is issued one."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.models import ApiToken
from tests.factories import AgencyFactory, UserFactory, member, service_account, token_for

from .otp import enrolled_device, sign_in

pytestmark = pytest.mark.django_db
TOKENS, ME = "/api/v1/me/tokens/", "/api/v1/me/"


def create(client, **data):
    return client.post(TOKENS, {"name": "巡查脚本", **data}, format="json")


def as_token(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_token_lasts_ninety_days_by_default_and_is_401_after(api):
    user = UserFactory()
    api.force_authenticate(user)
    response = create(api)
    assert response.status_code == 201
    expires = ApiToken.objects.get().expires_at
    assert abs(expires - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    assert response.json()["expires_at"] is not None
    system = as_token(response.json()["key"])
    assert system.get(ME).status_code == 200
    # Ninety days later (moved back in time, as if they had passed).
    ApiToken.objects.update(expires_at=expires - timedelta(days=90, seconds=1))
    refused = system.get(ME)
    assert refused.status_code == 401 and "过期" in refused.json()["detail"]


def test_the_lifetime_is_a_setting(api, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 7
    api.force_authenticate(UserFactory())
    assert create(api).status_code == 201
    assert ApiToken.objects.get().expires_at < timezone.now() + timedelta(days=7, minutes=1)


def test_a_shorter_one_may_be_asked_for_a_longer_one_not(api):
    api.force_authenticate(UserFactory())
    soon = timezone.now() + timedelta(days=3)
    assert create(api, expires_at=soon.isoformat()).status_code == 201
    assert ApiToken.objects.get().expires_at == soon.replace(microsecond=soon.microsecond)
    too_long = create(api, expires_at=(timezone.now() + timedelta(days=91)).isoformat())
    assert too_long.status_code == 400 and set(too_long.json()) == {"expires_at"}
    assert "90" in too_long.json()["expires_at"][0]
    assert ApiToken.objects.count() == 1


def test_a_platform_administrator_may_ask_for_longer(api):
    api.force_authenticate(UserFactory(is_superuser=True, is_staff=True))
    assert create(api, expires_at=(timezone.now() + timedelta(days=365)).isoformat()).status_code == 201


def test_a_service_accounts_token_follows_the_same_rule(api):
    agency = AgencyFactory()
    api.force_authenticate(member(agency, role="agency_admin"))
    account = service_account(agency)
    url = f"/api/v1/service-accounts/{account.pk}/tokens/"
    assert api.post(url, {"name": "夜间同步"}, format="json").status_code == 201
    assert account.api_tokens.get().expires_at is not None
    too_long = api.post(url, {"name": "x", "expires_at": (timezone.now() + timedelta(days=400)).isoformat()},
                        format="json")
    assert too_long.status_code == 400 and set(too_long.json()) == {"expires_at"}


def test_the_list_shows_when_each_token_was_last_used(api):
    user = UserFactory()
    key = token_for(user)
    as_token(key).get(ME)
    api.force_authenticate(user)
    listed = api.get(TOKENS).json()["results"]
    assert listed[0]["last_used_at"] is not None


def test_the_account_page_lists_tokens_with_their_last_use(client):
    user = UserFactory()
    token, key = ApiToken.issue(user=user, name="夜间同步脚本")
    as_token(key).get(ME)
    client.force_login(user)
    page = client.get("/accounts/me/tokens/").content.decode()
    assert "夜间同步脚本" in page and token.prefix in page and "尚未使用" not in page


class TestWithTheSecondFactorRequired:
    @pytest.fixture(autouse=True)
    def _required(self, settings):
        settings.OTP_REQUIRED = True

    def test_a_session_that_passed_it_is_issued_a_token(self):
        user = UserFactory()
        client = APIClient(enforce_csrf_checks=False)
        sign_in(client, user, enrolled_device(user))
        assert create(client).status_code == 201

    def test_a_token_cannot_mint_another(self):
        user = UserFactory()
        response = create(as_token(token_for(user)))
        assert response.status_code == 403
        assert ApiToken.objects.filter(user=user).count() == 1

    def test_a_session_that_did_not_pass_it_is_not_authenticated(self):
        user = UserFactory()
        client = APIClient()
        client.force_login(user)
        assert create(client).status_code == 401
        assert not ApiToken.objects.exists()

    def test_an_agency_administrator_issues_service_tokens_only_from_such_a_session(self):
        agency = AgencyFactory()
        admin = member(agency, role="agency_admin")
        account = service_account(agency)
        url = f"/api/v1/service-accounts/{account.pk}/tokens/"
        assert as_token(token_for(admin)).post(url, {"name": "x"}, format="json").status_code == 403
        client = APIClient()
        sign_in(client, admin, enrolled_device(admin))
        assert client.post(url, {"name": "夜间同步"}, format="json").status_code == 201


def test_tokens_from_before_get_the_default_lifetime(settings):
    from importlib import import_module

    from django.apps import apps

    forever, _ = ApiToken.issue(user=UserFactory(), name="old")
    revoked, _ = ApiToken.issue(user=UserFactory(), name="revoked")
    revoked.revoke()
    migration = import_module("agencies.migrations.0004_tokens_without_expiry_expire")
    migration.give_an_expiry(apps, None)
    forever.refresh_from_db()
    revoked.refresh_from_db()
    assert abs(forever.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    assert revoked.expires_at is None
