"""/manage/service-accounts/ — 系统账号: an agency administrator creates,
edits and deactivates the agency's service accounts, issues tokens (shown
once, within tokens.py's expiry limits) and revokes them, on
agencies/services/service_accounts.py; anyone else gets a 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.models import ApiToken, Membership, User
from agencies.roles import Role
from casehub.models import AuditEntry
from tests.factories import Office, member, service_account

from .helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db
LIST = reverse("web:service-accounts")


@pytest.fixture
def admin_of(office):
    return member(office.agency, Role.AGENCY_ADMIN, username="wuting", full_name="吴婷")


def bearer(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_create_edit_issue_revoke_and_deactivate(office, admin_of):
    client = signed_in(admin_of)
    created = client.post(reverse("web:service-account-new"), {
        "agency": office.agency.pk, "username": "hubei-credit-feed", "full_name": "湖北省信用平台", "role": Role.OFFICER})
    account = User.objects.get(username="hubei-credit-feed")
    assert created.status_code == 302 and created["Location"] == reverse("web:service-account", args=[account.pk])
    assert account.service_agency == office.agency and not account.has_usable_password()
    assert Membership.objects.current().filter(user=account, role=Role.OFFICER).exists()
    listed = client.get(LIST).content.decode()
    assert "hubei-credit-feed" in listed and "湖北省信用平台" in listed

    page = reverse("web:service-account", args=[account.pk])
    assert client.post(page, {"username": "hubei-credit-feed", "full_name": "湖北信用平台", "is_active": "on"}
                       ).status_code == 302
    account.refresh_from_db()
    assert account.full_name == "湖北信用平台" and account.is_active

    issued = client.post(reverse("web:service-account-token", args=[account.pk]), {"name": "拉取公示", "expires_at": ""})
    assert issued.status_code == 200 and "no-store" in issued["Cache-Control"]
    key = issued.context["new_key"]
    assert key in issued.content.decode()
    assert bearer(key).get("/api/v1/me/").json()["username"] == "hubei-credit-feed"
    shown = client.get(page).content.decode()
    assert "拉取公示" in shown and key not in shown
    token = ApiToken.objects.get(user=account)
    assert token.expires_at is not None  # the longest lifetime when none is asked

    revoked = client.post(reverse("web:service-account-token-revoke", args=[account.pk, token.pk]))
    assert revoked.status_code == 302
    assert bearer(key).get("/api/v1/me/").status_code == 401

    second = client.post(reverse("web:service-account-token", args=[account.pk]), {"name": "第二个"}).context["new_key"]
    assert client.post(reverse("web:service-account-deactivate", args=[account.pk])).status_code == 302
    account.refresh_from_db()
    assert not account.is_active and bearer(second).get("/api/v1/me/").status_code == 401
    actions = set(AuditEntry.objects.filter(result="allowed").values_list("action", flat=True))
    assert {"service_account.create", "service_account.update", "token.issue", "token.revoke",
            "service_account.deactivate"} <= actions
    assert AuditEntry.objects.filter(action="token.issue", result="allowed").count() == 2


def test_last_used_is_shown(office, admin_of):
    account = service_account(office.agency, username="svc-feed")
    token, _key = ApiToken.issue(user=account, name="x")
    used = timezone.now() - timedelta(days=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=used)
    listed = signed_in(admin_of).get(LIST)
    row = next(a for a in listed.context["accounts"] if a.pk == account.pk)
    assert row.last_used == used and row.live_tokens == 1
    assert timezone.localtime(used).strftime("%Y-%m-%d %H:%M") in listed.content.decode()


def test_bad_input_shows_at_the_field(office, admin_of, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 90
    client = signed_in(admin_of)
    taken = client.post(reverse("web:service-account-new"), {
        "agency": office.agency.pk, "username": office.officer.username, "role": Role.OFFICER})
    assert taken.status_code == 400 and taken.context["form"].errors["username"]
    supervisor = client.post(reverse("web:service-account-new"), {
        "agency": office.agency.pk, "username": "svc-x", "role": Role.SUPERVISOR})
    assert supervisor.status_code == 400 and supervisor.context["form"].errors["role"]
    assert not User.objects.filter(username="svc-x").exists()
    account = service_account(office.agency, username="svc-feed")
    url = reverse("web:service-account-token", args=[account.pk])
    too_long = client.post(url, {"name": "x", "expires_at": (timezone.localdate() + timedelta(days=200)).isoformat()})
    assert too_long.status_code == 400 and "90" in too_long.context["token_form"].errors["expires_at"][0]
    past = client.post(url, {"name": "x", "expires_at": "2020-01-01"})
    assert past.status_code == 400 and past.context["token_form"].errors["expires_at"]
    nameless = client.post(url, {"name": ""})
    assert nameless.status_code == 400 and nameless.context["token_form"].errors["name"]
    assert not ApiToken.objects.filter(user=account).exists()
    renamed = client.post(reverse("web:service-account", args=[account.pk]), {"username": office.head.username})
    assert renamed.status_code == 400 and renamed.context["form"].errors["username"]


def test_another_agencys_accounts_are_a_404(office, admin_of):
    other = Office(code="421000-SCJG", short_name="荆市监")
    theirs = service_account(other.agency, username="svc-jingzhou")
    token, key = ApiToken.issue(user=theirs, name="theirs")
    client = signed_in(admin_of)
    assert client.get(LIST, {"agency": other.agency.pk}).status_code == 404
    assert "svc-jingzhou" not in client.get(LIST).content.decode()
    for name, args in [("web:service-account", [theirs.pk]), ("web:service-account-deactivate", [theirs.pk]),
                       ("web:service-account-token", [theirs.pk]),
                       ("web:service-account-token-revoke", [theirs.pk, token.pk])]:
        assert client.post(reverse(name, args=args), {"name": "x", "username": "x"}).status_code == 404, name
    assert client.get(reverse("web:service-account", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("web:service-account-new"), {
        "agency": other.agency.pk, "username": "svc-y", "role": Role.OFFICER}).status_code == 404
    assert bearer(key).get("/api/v1/me/").status_code == 200
    theirs.refresh_from_db()
    assert theirs.is_active


def test_a_token_of_another_account_cannot_be_revoked_through_mine(office, admin_of):
    mine = service_account(office.agency, username="svc-mine")
    other = Office(code="421000-SCJG", short_name="荆市监")
    theirs = service_account(other.agency, username="svc-theirs")
    token, key = ApiToken.issue(user=theirs, name="theirs")
    response = signed_in(admin_of).post(reverse("web:service-account-token-revoke", args=[mine.pk, token.pk]))
    assert response.status_code == 404 and bearer(key).get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize("who", ["officer", "head", "outsider", "stranger"])
def test_officers_and_outsiders_get_a_404(office, outsider, stranger, who):
    user = {"officer": office.officer, "head": office.head, "outsider": outsider, "stranger": stranger}[who]
    account = service_account(office.agency, username="svc-feed")
    client = signed_in(user)
    assert client.get(LIST).status_code == 404
    assert client.get(reverse("web:service-account", args=[account.pk])).status_code == 404
    assert client.post(reverse("web:service-account-token", args=[account.pk]), {"name": "x"}).status_code == 404
    assert not ApiToken.objects.filter(user=account).exists()


def test_the_list_costs_the_same_queries_whatever_its_length(office, admin_of):
    def grow(n):
        while User.objects.filter(service_agency=office.agency).count() < n:
            i = User.objects.filter(service_agency=office.agency).count()
            account = service_account(office.agency, username=f"svc-{i}")
            ApiToken.issue(user=account, name="t")

    assert_constant_queries(signed_in(admin_of), LIST, grow)


def test_the_account_page_costs_the_same_queries_whatever_its_tokens(office, admin_of):
    account = service_account(office.agency, username="svc-feed")

    def grow(n):
        while ApiToken.objects.filter(user=account).count() < n:
            ApiToken.issue(user=account, name="t")

    assert_constant_queries(signed_in(admin_of), reverse("web:service-account", args=[account.pk]), grow)


def test_the_demo_has_a_service_account_and_a_platform_administrator():
    from django.core.management import call_command

    from agencies.seed.demo_users import seed_demo_users
    from casehub.demo_admin import USERNAME, seed_admin_demo

    call_command("seed_agencies", verbosity=0)
    seed_demo_users()
    assert seed_admin_demo() == 1 and seed_admin_demo() == 0
    account = User.objects.get(username=USERNAME)
    assert account.service_agency.code == "420500-SCJG"
    assert AuditEntry.objects.get(action="service_account.create").user.username == "wuting"
    wuting, admin = User.objects.get(username="wuting"), User.objects.get(username="admin")
    assert USERNAME in signed_in(wuting).get(LIST).content.decode()
    assert admin.is_superuser
    for name in ("web:members", "web:service-accounts", "web:calendar", "web:agencies"):
        assert signed_in(admin).get(reverse(name)).status_code == 200, name
