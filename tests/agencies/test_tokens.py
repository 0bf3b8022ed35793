from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import ApiToken, User
from tests.factories import AgencyFactory, UserFactory, member, service_account, token_for

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"


def test_bearer_token_authenticates(api):
    user = member(AgencyFactory())
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    response = api.get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_token_scheme_keyword_is_accepted_too(api):
    user = member(AgencyFactory())
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    assert api.get(ME).status_code == 200


def test_no_credentials_is_401_with_challenge(api):
    response = api.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nonsense-key", "Bearer", "Bearer a b"])
def test_bad_token_is_401(api, header):
    member(AgencyFactory())
    api.credentials(HTTP_AUTHORIZATION=header)
    assert api.get(ME).status_code == 401


def test_revoked_token_is_401(api):
    user = member(AgencyFactory())
    token, key = ApiToken.issue(user=user, name="script")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get(ME).status_code == 200
    token.revoke(by=user)
    response = api.get(ME)
    assert response.status_code == 401
    assert "撤销" in response.json()["detail"]


def test_expired_token_is_401(api):
    user = member(AgencyFactory())
    token, key = ApiToken.issue(user=user, name="short", expires_at=timezone.now() + timedelta(hours=1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get(ME).status_code == 401


def test_disabled_user_token_is_401(api):
    user = member(AgencyFactory())
    key = token_for(user)
    user.is_active = False
    user.save()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get(ME).status_code == 401


def test_only_the_hash_is_stored(api):
    user = member(AgencyFactory())
    token, key = ApiToken.issue(user=user, name="x")
    stored = ApiToken.objects.values_list("key_hash", "prefix").get(pk=token.pk)
    assert key not in stored[0] and stored[1] == key[:8]


def test_last_used_is_recorded_but_not_on_every_request(api, django_assert_num_queries):
    user = member(AgencyFactory())
    token, key = ApiToken.issue(user=user, name="x")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    api.get(ME)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    api.get(ME)
    token.refresh_from_db()
    assert token.last_used_at == first


class TestOwnTokensApi:
    url = "/api/v1/me/tokens/"

    def test_create_shows_key_once_then_never(self, api):
        user = UserFactory()
        api.force_authenticate(user)
        created = api.post(self.url, {"name": "巡查脚本"}, format="json")
        assert created.status_code == 201
        key = created.json()["key"]
        listed = api.get(self.url).json()["results"]
        assert [t["name"] for t in listed] == ["巡查脚本"]
        assert "key" not in listed[0]
        api.force_authenticate(None)
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        assert api.get(ME).json()["username"] == user.username

    def test_revoke_by_delete_keeps_the_record(self, api):
        user = UserFactory()
        token, key = ApiToken.issue(user=user, name="old")
        api.force_authenticate(user)
        assert api.delete(f"{self.url}{token.pk}/").status_code == 204
        token.refresh_from_db()
        assert token.is_revoked and token.revoked_by == user
        api.force_authenticate(None)
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        assert api.get(ME).status_code == 401

    def test_another_users_token_is_404(self, api):
        mine, theirs = UserFactory(), UserFactory()
        token, _ = ApiToken.issue(user=theirs, name="theirs")
        api.force_authenticate(mine)
        assert api.get(f"{self.url}{token.pk}/").status_code == 404
        assert api.delete(f"{self.url}{token.pk}/").status_code == 404
        token.refresh_from_db()
        assert not token.is_revoked

    def test_bad_input_is_400_and_stores_nothing(self, api):
        api.force_authenticate(UserFactory())
        response = api.post(self.url, {"name": "", "expires_at": "2000-01-01T00:00:00Z"}, format="json")
        assert response.status_code == 400
        assert set(response.json()) == {"name", "expires_at"}
        assert ApiToken.objects.count() == 0


class TestServiceAccounts:
    url = "/api/v1/service-accounts/"

    def test_service_account_token_works_but_password_login_does_not(self, api, client):
        agency = AgencyFactory()
        account = service_account(agency)
        account.set_password("a-password-that-should-not-work")
        account.save()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(account)}")
        body = api.get(ME).json()
        assert body["is_service_account"] is True
        assert body["roles"] == {agency.code: ["officer"]}
        assert not client.login(username=account.username, password="a-password-that-should-not-work")

    def test_agency_admin_creates_account_and_token_and_revokes(self, api):
        agency = AgencyFactory()
        admin = member(agency, role="agency_admin")
        api.force_authenticate(admin)
        created = api.post(self.url, {"username": "police-sync", "agency": agency.pk, "role": "liaison"}, format="json")
        assert created.status_code == 201, created.content
        account_id = created.json()["id"]
        token = api.post(f"{self.url}{account_id}/tokens/", {"name": "夜间同步"}, format="json")
        assert token.status_code == 201
        key, token_id = token.json()["key"], token.json()["id"]

        system = type(api)()
        system.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        assert system.get(ME).json()["roles"] == {agency.code: ["liaison"]}

        assert api.delete(f"{self.url}{account_id}/tokens/{token_id}/").status_code == 204
        assert system.get(ME).status_code == 401

    def test_ordering_by_a_field_the_view_does_not_declare_is_ignored(self, api):
        # DRF's default would sort the account (a user) by the token's
        # created_at: a 500 schemathesis found.
        agency = AgencyFactory()
        api.force_authenticate(member(agency, role="agency_admin"))
        account = service_account(agency)
        token_for(account)
        response = api.get(f"{self.url}{account.pk}/tokens/", {"ordering": "created_at"})
        assert response.status_code == 200 and len(response.json()) == 1
        assert api.get(self.url, {"ordering": "-date_joined"}).status_code == 200

    def test_deactivating_account_revokes_every_token(self, api):
        agency = AgencyFactory()
        api.force_authenticate(member(agency, role="agency_admin"))
        account = service_account(agency)
        keys = [token_for(account, f"t{i}") for i in range(2)]
        assert api.delete(f"{self.url}{account.pk}/").status_code == 204
        assert ApiToken.objects.filter(user=account, revoked_at__isnull=True).count() == 0
        for key in keys:
            system = type(api)()
            system.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
            assert system.get(ME).status_code == 401

    def test_other_agencies_accounts_are_invisible_and_cannot_be_created(self, api):
        mine, other = AgencyFactory(), AgencyFactory()
        foreign = service_account(other)
        api.force_authenticate(member(mine, role="agency_admin"))
        assert api.get(self.url).json()["count"] == 0
        assert api.get(f"{self.url}{foreign.pk}/").status_code == 404
        assert api.post(f"{self.url}{foreign.pk}/tokens/", {"name": "x"}, format="json").status_code == 404
        response = api.post(self.url, {"username": "sneaky", "agency": other.pk}, format="json")
        assert response.status_code == 403  # refused before the input is read
        assert not foreign.api_tokens.exists() and not User.objects.filter(username="sneaky").exists()

    def test_officer_without_admin_role_sees_none(self, api):
        agency = AgencyFactory()
        service_account(agency)
        api.force_authenticate(member(agency))
        assert api.get(self.url).json()["count"] == 0

    def test_agency_and_role_are_fixed_after_creation(self, api):
        agency = AgencyFactory()
        api.force_authenticate(member(agency, role="agency_admin"))
        account = service_account(agency)
        response = api.patch(f"{self.url}{account.pk}/", {"agency": AgencyFactory().pk, "role": "head"}, format="json")
        assert response.status_code == 400
        assert set(response.json()) == {"agency", "role"}
        account.refresh_from_db()
        assert account.service_agency == agency

    def test_reverse_url_names(self):
        assert reverse("v1:me") == ME


def test_a_service_account_of_a_deactivated_agency_is_401(api):
    agency = AgencyFactory()
    account = service_account(agency)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(account)}")
    assert api.get(ME).status_code == 200
    type(agency).objects.filter(pk=agency.pk).update(active=False)
    assert api.get(ME).status_code == 401


def test_a_token_list_request_reads_token_user_and_memberships_in_one_statement(api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import Office, make_case

    office = Office()
    case = make_case(office)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(office.officer)}")
    api.get("/api/v1/cases/")  # last-used written, caches filled
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/cases/")
    assert [c["id"] for c in response.json()["results"]] == [case.pk]
    assert len(queries) == 2, [q["sql"][:100] for q in queries]
