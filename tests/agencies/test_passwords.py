"""Self-service password change (web page and API) and the password policy
of GB/T 22239-2019 level 3: length, three character classes, nothing like
the username, none of the last five, an optional maximum age."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from agencies import credentials
from agencies.models import PasswordHistory, User
from tests.factories import TEST_PASSWORD, AgencyFactory, member, service_account, token_for

from .otp import CODE, LOGIN, ME, PASSWORD, code_for, enrolled_device, password_step, sign_in, signed_in

pytestmark = pytest.mark.django_db
API = "/api/v1/me/password/"
NEW = "Wutai-Shan-2027"


@pytest.fixture
def officer():
    return member(AgencyFactory(), username="wangfang", full_name="王芳")


def browser(user) -> Client:
    client = Client()
    assert password_step(client, user)["Location"] == "/"
    return client


def api_browser(user) -> APIClient:
    client = APIClient(enforce_csrf_checks=False)
    assert password_step(client, user)["Location"] == "/"
    return client


def change(client, current=TEST_PASSWORD, new=NEW):
    return client.post(API, {"current_password": current, "new_password": new}, format="json")


@pytest.fixture
def ended():
    heard = []

    def listener(sender, user_id, reason, **kwargs):
        heard.append((user_id, reason))

    credentials.credentials_ended.connect(listener)
    yield heard
    credentials.credentials_ended.disconnect(listener)


class TestWebPage:
    def test_the_page_changes_the_password_keeps_this_session_and_ends_the_others(self, officer):
        here, elsewhere = browser(officer), browser(officer)
        page = here.get(PASSWORD)
        assert page.status_code == 200 and "修改密码" in page.content.decode()
        response = here.post(PASSWORD, {"current_password": TEST_PASSWORD, "new_password": NEW,
                                        "new_password_again": NEW})
        assert response.status_code == 302 and response["Location"] == "/accounts/security/"
        assert signed_in(here)
        assert not signed_in(elsewhere)
        officer.refresh_from_db()
        assert officer.check_password(NEW)

    def test_mistakes_are_shown_by_field(self, officer):
        client = browser(officer)
        response = client.post(PASSWORD, {"current_password": "wrong", "new_password": "short",
                                          "new_password_again": "short"})
        errors = response.context["form"].errors
        assert response.status_code == 200 and set(errors) == {"current_password", "new_password"}
        mismatch = client.post(PASSWORD, {"current_password": TEST_PASSWORD, "new_password": NEW,
                                          "new_password_again": NEW + "x"})
        assert set(mismatch.context["form"].errors) == {"new_password_again"}
        officer.refresh_from_db()
        assert officer.check_password(TEST_PASSWORD)

    def test_the_page_lists_the_rules(self, officer):
        body = browser(officer).get(PASSWORD).content.decode()
        assert "最近 5 次" in body and "用户名" in body

    def test_anonymous_is_sent_to_login(self, client):
        assert client.get(PASSWORD)["Location"].startswith(LOGIN)


class TestApi:
    def test_a_session_changes_the_password_and_stays_signed_in(self, officer, ended,
                                                              django_capture_on_commit_callbacks):
        client, other = api_browser(officer), api_browser(officer)
        with django_capture_on_commit_callbacks(execute=True):
            assert change(client).status_code == 204
        assert client.get(ME).status_code == 200
        assert other.get(ME).status_code in (401, 403)
        assert ended == [(officer.pk, "password_changed")]

    def test_a_token_changes_the_password_too(self, api, officer):
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(officer)}")
        assert change(api).status_code == 204
        officer.refresh_from_db()
        assert officer.check_password(NEW)
        assert password_step(Client(), officer, NEW)["Location"] == "/"

    def test_a_wrong_current_password_is_a_field_error_and_counted(self, api, officer):
        api.force_authenticate(officer)
        response = change(api, current="not-my-password")
        assert response.status_code == 400 and set(response.json()) == {"current_password"}
        for _ in range(4):
            change(api, current="not-my-password")
        locked = change(api)  # the right one, but the username is locked out now
        assert locked.status_code == 400 and "15" in locked.json()["current_password"][0]
        officer.refresh_from_db()
        assert officer.check_password(TEST_PASSWORD)

    def test_missing_fields_are_field_errors(self, api, officer):
        api.force_authenticate(officer)
        response = api.post(API, {}, format="json")
        assert response.status_code == 400 and set(response.json()) == {"current_password", "new_password"}

    @pytest.mark.parametrize("new, says", [
        ("Ab1-xyz", "至少"),  # too short (10 by default)
        ("onlylowercase", "至少"),  # one class
        ("lowercase-only", "3 类"),  # two classes
        ("Xwangfang-2026", "用户名"),  # contains the username
        ("gnafgnaw-X-2026", "用户名"),  # ... backwards
        ("Password123", "常见"),  # common
        (TEST_PASSWORD, "最近"),  # the current one
    ])
    def test_each_rule_is_a_field_error(self, api, officer, new, says):
        api.force_authenticate(officer)
        response = change(api, new=new)
        assert response.status_code == 400, response.json()
        body = response.json()
        assert set(body) == {"new_password"} and any(says in message for message in body["new_password"]), body
        officer.refresh_from_db()
        assert officer.check_password(TEST_PASSWORD)

    def test_the_minimum_length_is_a_setting(self, api, officer, settings):
        from django.contrib.auth import password_validation

        settings.AUTH_PASSWORD_VALIDATORS = [
            {**v, "OPTIONS": {"min_length": 16}} if v["NAME"].endswith("MinimumLengthValidator") else v
            for v in settings.AUTH_PASSWORD_VALIDATORS
        ]
        password_validation.get_default_password_validators.cache_clear()
        try:
            api.force_authenticate(officer)
            assert change(api, new=NEW).status_code == 400  # 15 characters
            assert change(api, new=NEW + "!").status_code == 204
        finally:
            password_validation.get_default_password_validators.cache_clear()

    def test_none_of_the_last_five_passwords_again(self, api, officer):
        api.force_authenticate(officer)
        used = [TEST_PASSWORD] + [f"Qingjiang-{n}-River" for n in range(5)]
        for before, after in zip(used, used[1:], strict=False):
            assert change(api, current=before, new=after).status_code == 204
        current = used[-1]
        # The last five (the current one among them) are refused ...
        for old in used[-5:]:
            response = change(api, current=current, new=old)
            assert response.status_code == 400 and set(response.json()) == {"new_password"}, old
        # ... the sixth from last is allowed again.
        assert change(api, current=current, new=used[0]).status_code == 204
        assert PasswordHistory.objects.filter(user=officer).count() == 4

    def test_a_service_account_has_no_password_to_change(self, api):
        account = service_account(AgencyFactory())
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(account)}")
        assert change(api).status_code == 403

    def test_anonymous_is_401(self, api):
        assert change(api).status_code == 401


class TestHistoryWhateverThePath:
    def test_a_password_set_elsewhere_is_remembered(self, officer):
        officer.set_password(NEW)  # the admin, manage.py changepassword
        officer.save()
        assert PasswordHistory.objects.filter(user=officer).count() == 1
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            validate_password(TEST_PASSWORD, officer)

    def test_a_rehash_of_the_same_password_is_no_change(self, officer, settings):
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                     "django.contrib.auth.hashers.MD5PasswordHasher"]
        changed = officer.password_changed_at
        assert officer.check_password(TEST_PASSWORD)  # upgrades the MD5 hash
        officer.refresh_from_db()
        assert officer.password.startswith("pbkdf2_") and officer.password_changed_at == changed
        assert not PasswordHistory.objects.filter(user=officer).exists()


class TestMaximumAge:
    @pytest.fixture
    def old_password(self, officer, settings):
        settings.PASSWORD_MAX_AGE_DAYS = 90
        User.objects.filter(pk=officer.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
        officer.refresh_from_db()
        return officer

    def test_an_old_password_must_be_changed_at_login(self, client, old_password):
        response = password_step(client, old_password, next="/api/v1/me/")
        assert response["Location"] == PASSWORD
        assert not signed_in(client)
        page = client.get(PASSWORD)
        assert "已到期" in page.content.decode()
        assert client.get(ME).status_code == 401
        done = client.post(PASSWORD, {"current_password": TEST_PASSWORD, "new_password": NEW,
                                      "new_password_again": NEW})
        assert done.status_code == 302 and done["Location"] == "/api/v1/me/"
        assert signed_in(client)
        old_password.refresh_from_db()
        assert timezone.now() - old_password.password_changed_at < timedelta(minutes=1)
        # Next time the password is young enough.
        assert password_step(Client(), old_password, NEW)["Location"] == "/"

    def test_with_the_second_factor_the_change_comes_after_the_code(self, client, old_password, settings):
        settings.OTP_REQUIRED = True
        device = enrolled_device(old_password)
        assert password_step(client, old_password)["Location"] == CODE
        assert client.get(PASSWORD)["Location"] == CODE  # no skipping the code
        assert client.post(CODE, {"code": code_for(device)})["Location"] == PASSWORD
        assert not signed_in(client)
        client.post(PASSWORD, {"current_password": TEST_PASSWORD, "new_password": NEW, "new_password_again": NEW})
        assert signed_in(client)

    def test_a_young_password_is_not_asked_for(self, client, officer, settings):
        settings.PASSWORD_MAX_AGE_DAYS = 90
        assert password_step(client, officer)["Location"] == "/"

    def test_no_maximum_age_by_default(self, client, officer):
        User.objects.filter(pk=officer.pk).update(password_changed_at=timezone.now() - timedelta(days=3650))
        assert password_step(client, officer)["Location"] == "/"


def test_a_verified_session_changes_its_password_and_stays_verified(settings, officer):
    settings.OTP_REQUIRED = True
    client = APIClient()
    sign_in(client, officer, enrolled_device(officer))
    assert change(client).status_code == 204
    assert client.get(ME).status_code == 200
