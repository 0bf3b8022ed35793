"""/accounts/me/ — my account: memberships and roles, the security tab, and
API tokens (create shown once, revoke), on the same services as the API."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from agencies.models import ApiToken
from agencies.roles import Role
from tests.factories import MembershipFactory, Office

from .helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db
ACCOUNT, SECURITY, TOKENS = reverse("web:account"), reverse("web:account-security"), reverse("web:account-tokens")


def bearer(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_my_memberships_and_roles_are_shown(office):
    other = Office(code="420500-GA", short_name="宜公安")
    MembershipFactory(user=office.officer, agency=other.agency, role=Role.LIAISON)
    page = signed_in(office.officer).get(ACCOUNT)
    text = page.content.decode()
    assert page.status_code == 200
    assert office.agency.name in text and other.agency.name in text
    assert "执法人员" in text or "办案人员" in text
    assert [m.agency_id for m in page.context["memberships"]] == sorted(
        [office.agency.pk, other.agency.pk], key=lambda pk: [office.agency, other.agency][
            [office.agency.pk, other.agency.pk].index(pk)].code)
    assert office.region.name in text


@pytest.mark.parametrize("url", [ACCOUNT, SECURITY, TOKENS])
def test_anonymous_is_sent_to_sign_in(url):
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"


def test_revoking_anonymously_is_sent_to_sign_in(office):
    token, _ = ApiToken.issue(user=office.officer, name="x")
    url = reverse("web:account-token-revoke", args=[token.pk])
    assert Client().post(url).status_code == 302
    token.refresh_from_db()
    assert not token.is_revoked


def test_a_new_token_is_shown_once_works_and_stops_working_when_revoked(office):
    client = signed_in(office.officer)
    created = client.post(TOKENS, {"name": "夜间同步脚本", "expires_at": ""})
    assert created.status_code == 200 and "no-store" in created["Cache-Control"]
    key = created.context["new_key"]
    assert key and key in created.content.decode()
    token = ApiToken.objects.get(user=office.officer)
    assert token.name == "夜间同步脚本" and key.startswith(token.prefix)
    # Shown once: the tab again lists the token, never its key.
    again = client.get(TOKENS).content.decode()
    assert "夜间同步脚本" in again and token.prefix in again and key not in again
    me = bearer(key).get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["username"] == office.officer.username
    revoked = client.post(reverse("web:account-token-revoke", args=[token.pk]))
    assert revoked.status_code == 302 and revoked["Location"] == TOKENS
    assert bearer(key).get("/api/v1/me/").status_code == 401
    listed = client.get(TOKENS).content.decode()
    assert "已撤销" in listed


def test_the_expiry_is_the_end_of_the_chosen_day(office):
    from datetime import timedelta

    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=10)
    signed_in(office.officer).post(TOKENS, {"name": "十天", "expires_at": day.isoformat()})
    token = ApiToken.objects.get(user=office.officer)
    assert timezone.localtime(token.expires_at).date() == day


@pytest.mark.parametrize("data,field", [
    ({"name": ""}, "name"),
    ({"name": "长" * 65}, "name"),
    ({"name": "过去", "expires_at": "2000-01-01"}, "expires_at"),
    ({"name": "太久", "expires_at": "2999-01-01"}, "expires_at"),
    ({"name": "日期", "expires_at": "not a date"}, "expires_at"),
])
def test_bad_input_is_shown_at_the_field_and_nothing_is_stored(office, data, field):
    response = signed_in(office.officer).post(TOKENS, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert response.context["new_key"] is None
    assert not ApiToken.objects.filter(user=office.officer).exists()
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and "errorlist" in page
    if data["name"]:
        assert data["name"] in page  # what was typed is kept


def test_another_users_token_cannot_be_revoked(office, outsider):
    theirs, key = ApiToken.issue(user=outsider, name="别人的")
    mine_colleague, key2 = ApiToken.issue(user=office.officer2, name="同事的")
    client = signed_in(office.officer)
    assert client.post(reverse("web:account-token-revoke", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("web:account-token-revoke", args=[mine_colleague.pk])).status_code == 404
    assert client.post(reverse("web:account-token-revoke", args=[999999])).status_code == 404
    assert bearer(key).get("/api/v1/me/").status_code == 200
    assert bearer(key2).get("/api/v1/me/").status_code == 200
    assert "别人的" not in client.get(TOKENS).content.decode()


def test_revoking_is_confirmed_in_a_dialog(office):
    token, _ = ApiToken.issue(user=office.officer, name="x")
    page = signed_in(office.officer).get(TOKENS).content.decode()
    assert f'data-open-dialog="#revoke-{token.pk}"' in page
    assert f'<dialog id="revoke-{token.pk}"' in page
    assert reverse("web:account-token-revoke", args=[token.pk]) in page


def test_revoking_is_a_post(office):
    token, _ = ApiToken.issue(user=office.officer, name="x")
    assert signed_in(office.officer).get(reverse("web:account-token-revoke", args=[token.pk])).status_code == 405


def test_with_the_second_factor_required_a_session_that_passed_it_gets_a_token(office, settings):
    from tests.agencies.otp import enrolled_device, sign_in

    settings.OTP_REQUIRED = True
    client = Client()
    sign_in(client, office.officer, enrolled_device(office.officer))
    response = client.post(TOKENS, {"name": "脚本"})
    assert response.status_code == 200 and response.context["new_key"]
    assert client.get(SECURITY).context["devices"][0]["confirmed"]


def test_the_token_list_costs_the_same_at_1_and_50_tokens(office):
    def grow(n):
        for i in range(ApiToken.objects.filter(user=office.officer).count(), n):
            ApiToken.issue(user=office.officer, name=f"令牌{i}")

    assert_constant_queries(signed_in(office.officer), TOKENS, grow)


def test_the_security_tab_shows_the_authenticator_and_devices(office):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from agencies import second_factor

    client = signed_in(office.officer)
    page = client.get(SECURITY).content.decode()
    assert "未设置" in page and reverse("otp-enrol") in page and reverse("password-change") in page
    TOTPDevice.objects.create(user=office.officer, name="casehub", confirmed=True)
    second_factor.issue_recovery_codes(office.officer)
    page = client.get(SECURITY)
    text = page.content.decode()
    assert page.context["enrolled"] and page.context["recovery_codes_left"] == 10
    kinds = [d["kind"] for d in page.context["devices"]]
    assert kinds == ["totp", "recovery"]
    assert '<dialog id="new-codes"' in text and reverse("otp-recovery-codes") in text


def test_the_password_page_sits_in_the_account_frame(office):
    page = signed_in(office.officer).get(reverse("password-change")).content.decode()
    assert 'class="breadcrumbs"' in page and reverse("web:account-security") in page
