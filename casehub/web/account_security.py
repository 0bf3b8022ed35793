"""/accounts/security/ — the security tab of my account: the authenticator
and recovery codes (set up, replace, new codes: agencies/web/enrolment.py),
the second-factor devices, and the password (agencies/web/password.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from agencies import second_factor
from agencies.services import passwords

from .account_frame import account_context


@login_required
def account_security(request):
    user = request.user
    return render(request, "casehub/account/security.html", {
        **account_context("security"),
        "enrolled": second_factor.enrolled(user),
        "required": second_factor.required(),
        "devices": second_factor.devices(user),
        "recovery_codes_left": second_factor.recovery_codes_left(user),
        "password_changed_at": user.password_changed_at,
        "password_expires_at": passwords.expires_at(user),
    })


urlpatterns = [path("accounts/security/", account_security, name="account-security")]
