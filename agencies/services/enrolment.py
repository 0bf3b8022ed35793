"""Enrolling an authenticator app, and recovery codes.

Enrolment is done by someone in the middle of signing in (who must have a
second factor and has none yet) or by a signed-in user setting one up or
replacing it. Either way the app's first code confirms it, the earlier
authenticator goes, and ten fresh recovery codes are shown once."""

from __future__ import annotations

from dataclasses import dataclass

from .. import second_factor
from . import logins


@dataclass
class Enrolled:
    recovery_codes: list[str]
    step: logins.Step  # where a login in progress goes next (DONE when signed in)


def confirm(request, user, code: str, login: logins.PendingLogin | None = None) -> Enrolled | None:
    """None when the code is not the app's current one."""
    device = second_factor.pending_device(user)
    if not second_factor.confirm(user, device, code):
        return None
    codes = second_factor.issue_recovery_codes(user)
    if login is not None:
        return Enrolled(codes, logins.second_factor_passed(request, login, device))
    logins.verified_in_session(request, device)
    return Enrolled(codes, logins.Step.DONE)


def regenerate_recovery_codes(user) -> list[str]:
    """New recovery codes; every earlier one stops working."""
    return second_factor.issue_recovery_codes(user)


def reset(user) -> int:
    """Remove the user's authenticator and recovery codes (a lost phone):
    they enrol again at their next login. Their sessions' credentials end
    (signals.second_factor_reset). How many devices went."""
    from django.db import transaction
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    removed = 0
    with transaction.atomic():
        for model in (TOTPDevice, StaticDevice):
            for device in model.objects.filter(user=user):
                device.delete()
                removed += 1
    return removed
