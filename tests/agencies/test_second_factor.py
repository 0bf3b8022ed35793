"""The second factor: TOTP enrolment with a QR code, login in two steps,
recovery codes, the throttle on the code step, the admin and the API
refusing a session that did not pass it."""

import re
import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import credentials
from tests.factories import TEST_PASSWORD, AgencyFactory, Office, UserFactory, make_case, member, service_account

from .otp import CODE, ENROL, LOGIN, ME, code_for, enrolled_device, password_step, sign_in, signed_in, wrong_code_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED = True


@pytest.fixture
def officer():
    return member(AgencyFactory(), username="wangfang", full_name="王芳")


def enrol_through_the_page(client, user):
    """Password, then the enrolment page: the device it made and the page
    with the recovery codes."""
    assert password_step(client, user)["Location"] == ENROL
    page = client.get(ENROL)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(ENROL, {"code": code_for(device)})
    return device, done


class TestEnrolment:
    def test_who_must_enrol_is_sent_to_the_page_with_a_qr_code_and_the_secret(self, client, officer, required):
        response = password_step(client, officer)
        assert response.status_code == 302 and response["Location"] == ENROL
        page = client.get(ENROL)
        assert page.status_code == 200
        body = page.content.decode()
        device = TOTPDevice.objects.get(user=officer, confirmed=False)
        from base64 import b32encode

        secret = b32encode(device.bin_key).decode().rstrip("=")
        assert secret[:4] in body and "设置身份验证器" in body
        assert '<img src="/accounts/two-factor/qr.svg"' in body
        assert re.search(r"<script(?![^>]*\bsrc=)", body) is None  # no inline script: the CSP forbids it
        qr = client.get("/accounts/two-factor/qr.svg")
        assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and "no-store" in qr["Cache-Control"]
        assert qr.content.lstrip().startswith(b"<?xml") and b"<svg" in qr.content and b"<script" not in qr.content
        # Reloading keeps the same secret (the app may have scanned it already).
        client.get(ENROL)
        assert TOTPDevice.objects.filter(user=officer).count() == 1

    def test_confirming_with_the_apps_code_signs_in_and_shows_ten_recovery_codes_once(self, client, officer, required):
        device, done = enrol_through_the_page(client, officer)
        assert done.status_code == 200
        codes = done.context["codes"]
        assert len(codes) == 10 and len(set(codes)) == 10
        assert all(code in done.content.decode() for code in codes)
        assert "no-store" in done["Cache-Control"]
        device.refresh_from_db()
        assert device.confirmed
        assert StaticToken.objects.filter(device__user=officer).count() == 10
        assert signed_in(client)
        # Shown once: nothing shows them again.
        assert not any(code in client.get("/accounts/security/").content.decode() for code in codes)

    def test_a_wrong_code_does_not_confirm(self, client, officer, required):
        password_step(client, officer)
        client.get(ENROL)
        device = TOTPDevice.objects.get(user=officer)
        response = client.post(ENROL, {"code": wrong_code_for(device)})
        assert response.status_code == 200 and response.context["form"].errors["code"]
        device.refresh_from_db()
        assert not device.confirmed and not signed_in(client)

    def test_who_must_enrol_but_has_not_can_do_nothing_else(self, client, officer, required):
        case_office = Office()
        case = make_case(case_office)
        password_step(client, officer)
        assert client.get(ME).status_code == 401
        assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 401
        assert client.get("/accounts/security/").status_code == 302
        assert client.get(CODE)["Location"] == ENROL  # the code step is not theirs
        assert client.post("/api/v1/me/tokens/", {"name": "x"}).status_code == 401
        assert "王芳" not in client.get("/").content.decode()

    def test_a_signed_in_user_enrols_voluntarily_when_not_required(self, client, officer):
        assert password_step(client, officer)["Location"] == "/"
        assert signed_in(client)
        client.get(ENROL)
        device = TOTPDevice.objects.get(user=officer)
        done = client.post(ENROL, {"code": code_for(device)})
        assert done.status_code == 200 and len(done.context["codes"]) == 10
        # From now on this user is asked for a code too.
        client.post("/accounts/logout/")
        assert password_step(client, officer)["Location"] == CODE

    def test_enrolling_again_replaces_the_old_authenticator(self, client, officer, required):
        old = enrolled_device(officer)
        sign_in(client, officer, old)
        client.get(ENROL)
        new = TOTPDevice.objects.get(user=officer, confirmed=False)
        assert client.post(ENROL, {"code": code_for(new)}).status_code == 200
        assert list(TOTPDevice.objects.filter(user=officer)) == [new]

    def test_the_qr_code_is_for_nobody_else(self, client, officer):
        assert client.get("/accounts/two-factor/qr.svg").status_code == 404


class TestTwoStepLogin:
    def test_password_then_code(self, client, officer, required):
        device = enrolled_device(officer)
        first = password_step(client, officer, next="/api/v1/me/")
        assert first.status_code == 302 and first["Location"] == CODE
        assert not signed_in(client)
        page = client.get(CODE)
        assert page.status_code == 200 and "验证码" in page.content.decode()
        done = client.post(CODE, {"code": code_for(device)})
        assert done.status_code == 302 and done["Location"] == "/api/v1/me/"
        assert signed_in(client)

    def test_a_wrong_code_is_refused(self, client, officer, required):
        device = enrolled_device(officer)
        password_step(client, officer)
        response = client.post(CODE, {"code": wrong_code_for(device)})
        assert response.status_code == 200 and response.context["form"].errors["code"]
        assert not signed_in(client)
        assert client.post(CODE, {"code": "not-a-code"}).context["form"].errors["code"]

    def test_a_code_is_accepted_once(self, client, officer, required):
        device = enrolled_device(officer)
        code = code_for(device)
        password_step(client, officer)
        assert client.post(CODE, {"code": code}).status_code == 302
        other = Client()
        password_step(other, officer)
        assert client.post("/accounts/logout/").status_code == 302
        assert other.post(CODE, {"code": code}).status_code == 200
        assert not signed_in(other)

    def test_a_recovery_code_signs_in_once(self, client, officer, required):
        enrolled_device(officer)
        from agencies import second_factor

        codes = second_factor.issue_recovery_codes(officer)
        password_step(client, officer)
        typed = codes[0].upper().replace("-", " ")  # as read off paper
        assert client.post(CODE, {"code": typed}).status_code == 302
        assert signed_in(client)
        assert second_factor.recovery_codes_left(officer) == 9
        again = Client()
        password_step(again, officer)
        assert again.post(CODE, {"code": codes[0]}).status_code == 200
        assert not signed_in(again)
        assert again.post(CODE, {"code": codes[1]}).status_code == 302

    def test_new_recovery_codes_replace_the_old(self, client, officer, required):
        device = enrolled_device(officer)
        from agencies import second_factor

        old = second_factor.issue_recovery_codes(officer)
        sign_in(client, officer, device)
        response = client.post("/accounts/two-factor/recovery-codes/")
        assert response.status_code == 200
        new = response.context["codes"]
        assert len(new) == 10 and not set(new) & set(old)
        other = Client()
        password_step(other, officer)
        assert other.post(CODE, {"code": old[0]}).status_code == 200
        assert other.post(CODE, {"code": new[0]}).status_code == 302

    def test_the_throttle_counts_wrong_codes_and_a_right_password_does_not_reset_it(self, client, officer, required):
        device = enrolled_device(officer)
        password_step(client, officer)
        for _ in range(4):
            assert client.post(CODE, {"code": wrong_code_for(device)}).status_code == 200
        # The password again (right): the count stands.
        assert password_step(client, officer)["Location"] == CODE
        assert client.post(CODE, {"code": wrong_code_for(device)}).status_code == 200
        locked = client.post(CODE, {"code": code_for(device)})
        assert locked.status_code == 429 and "15" in locked.content.decode()
        assert not signed_in(client)
        # The password step is locked too, for this username.
        assert password_step(Client(), officer).status_code == 429

    def test_a_finished_login_clears_the_usernames_count(self, client, officer, required):
        device = enrolled_device(officer)
        password_step(client, officer)
        for _ in range(4):
            client.post(CODE, {"code": wrong_code_for(device)})
        assert client.post(CODE, {"code": code_for(device)}).status_code == 302
        again = Client()
        password_step(again, officer)
        for _ in range(4):
            again.post(CODE, {"code": wrong_code_for(device)})
        assert again.post(CODE, {"code": code_for(device, steps_ahead=1)}).status_code == 302

    def test_a_pending_login_expires(self, client, officer, required, settings):
        enrolled_device(officer)
        password_step(client, officer)
        settings.LOGIN_PENDING_SECONDS = -1
        assert client.get(CODE)["Location"] == LOGIN

    def test_a_password_changed_meanwhile_ends_the_pending_login(self, client, officer, required):
        device = enrolled_device(officer)
        password_step(client, officer)
        officer.set_password("Another-Passw0rd-2026")
        officer.save()
        assert client.post(CODE, {"code": code_for(device)})["Location"] == LOGIN
        assert not signed_in(client)

    def test_an_enrolled_user_is_asked_for_a_code_even_when_not_required(self, client, officer):
        enrolled_device(officer)
        assert password_step(client, officer)["Location"] == CODE
        assert not signed_in(client)

    def test_without_the_requirement_a_password_alone_signs_in(self, client, officer):
        assert password_step(client, officer)["Location"] == "/"
        assert signed_in(client)

    def test_the_browsable_apis_login_is_the_same_two_step_login(self, client, officer, required):
        enrolled_device(officer)
        response = client.post("/api-auth/login/", {"username": officer.username, "password": TEST_PASSWORD})
        assert response["Location"] == CODE and not signed_in(client)

    def test_a_service_account_cannot_sign_in_on_the_login_page(self, client):
        account = service_account(AgencyFactory())
        account.set_password(TEST_PASSWORD)
        account.save()
        response = client.post(LOGIN, {"username": account.username, "password": TEST_PASSWORD})
        assert response.status_code == 200 and response.context["form"].errors
        assert not signed_in(client)


class TestSessionsThatDidNotPassIt:
    def test_the_api_refuses_a_session_without_the_second_factor(self, officer, required):
        client = Client()
        client.force_login(officer)  # a password-only session, as before the requirement
        assert client.get(ME).status_code == 401
        assert "王芳" not in client.get("/").content.decode()

    def test_without_the_requirement_such_a_session_counts(self, officer):
        client = Client()
        client.force_login(officer)
        assert client.get(ME).status_code == 200

    def test_a_verified_session_costs_no_extra_query(self, required):
        office = Office()
        make_case(office)
        client = Client()
        assert sign_in(client, office.officer, enrolled_device(office.officer)).status_code == 302
        assert client.get("/api/v1/cases/").status_code == 200  # the process learns whose session it is
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/cases/").status_code == 200
        assert len(queries) == 2, [q["sql"][:80] for q in queries]

    def test_the_admin_requires_the_second_factor(self, required):
        admin = UserFactory(username="root", is_staff=True, is_superuser=True)
        password_only = Client()
        password_only.force_login(admin)
        response = password_only.get("/admin/")
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
        assert password_only.get("/admin/login/?next=/admin/")["Location"] == "/accounts/login/?next=/admin/"
        assert password_only.get("/admin/agencies/agency/").status_code == 302
        verified = Client()
        sign_in(verified, admin, enrolled_device(admin))
        assert verified.get("/admin/").status_code == 200
        assert verified.get("/admin/agencies/agency/").status_code == 200

    def test_the_admins_own_login_form_is_not_offered(self, client, officer):
        staff = UserFactory(username="root", is_staff=True, is_superuser=True)
        response = client.post("/admin/login/?next=/admin/", {"username": staff.username, "password": TEST_PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"
        assert client.get("/admin/").status_code == 302

    def test_a_socket_refuses_a_session_without_the_second_factor(self, officer, required):
        from tests.notifications.socket_helpers import refused, run, session_headers

        headers = session_headers(officer)  # force_login: no second factor

        async def scenario():
            assert await refused(headers) == (4401, "not_signed_in")

        run(scenario)

    def test_a_socket_takes_a_session_that_passed_it(self, officer, required):
        from tests.notifications.socket_helpers import ORIGIN, opened, run

        client = Client()
        sign_in(client, officer, enrolled_device(officer))
        headers = [(b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()), ORIGIN]

        async def scenario():
            comm = await opened(headers)
            await comm.disconnect()

        run(scenario)

    def test_an_administrator_resetting_the_authenticator_ends_the_credentials(self, officer, django_capture_on_commit_callbacks):
        device = enrolled_device(officer)
        heard = []

        def listener(sender, user_id, reason, **kwargs):
            heard.append((user_id, reason))

        credentials.credentials_ended.connect(listener)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                device.delete()
        finally:
            credentials.credentials_ended.disconnect(listener)
        assert heard == [(officer.pk, "second_factor_reset")]


def test_the_sessions_table_holds_no_secret(client, officer, required):
    """What the session stores about the second factor is which device
    passed, never a code or a key."""
    device = enrolled_device(officer)
    sign_in(client, officer, device)
    data = Session.objects.get().get_decoded()
    assert data["otp_device_id"] == device.persistent_id
    assert device.key not in str(data)


def test_the_deploy_check_warns_when_the_second_factor_is_off(settings):
    from agencies.checks import second_factor_required

    settings.OTP_REQUIRED = False
    assert [w.id for w in second_factor_required(None)] == ["casehub.W201"]
    settings.OTP_REQUIRED = True
    assert second_factor_required(None) == []


def test_a_lost_authenticator_is_reset_by_command_and_enrolled_again(client, officer, required):
    from io import StringIO

    from django.core.management import call_command

    from agencies import second_factor

    enrolled_device(officer)
    second_factor.issue_recovery_codes(officer)
    call_command("reset_second_factor", officer.username, stdout=StringIO())
    assert not second_factor.enrolled(officer) and second_factor.recovery_codes_left(officer) == 0
    assert password_step(client, officer)["Location"] == ENROL


# The security overview is now a tab of my account (casehub/templates/casehub/account/,
# checked with every template by tests/platform/test_security_headers.py).
# (Their fields are drawn by casehub/_field.html, checked with the rest.)
@pytest.mark.parametrize("name", ["login", "login_code", "enrol", "recovery_codes", "password_change", "_steps"])
def test_the_account_pages_hold_up_under_a_strict_content_security_policy(name):
    """No script, no inline style or event handler: the pages work with
    script-src 'self' and style-src 'self' (their styles are a static file)."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "casehub/templates/registration" / f"{name}.html").read_text()
    assert "<script" not in text and "<style" not in text
    assert not re.search(r"\sstyle=|\son[a-z]+=", text)
