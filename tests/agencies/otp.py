"""Helpers for the second factor: an enrolled authenticator, the codes it
would show, and signing in through the login pages as a browser does."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD

LOGIN, CODE, ENROL, PASSWORD = "/accounts/login/", "/accounts/login/code/", "/accounts/two-factor/", "/accounts/password/"
ME = "/api/v1/me/"


def enrolled_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="casehub", confirmed=True)


def code_for(device, *, steps_ahead: int = 0) -> str:
    """The code the app shows now (or `steps_ahead` 30-second steps later:
    a code is accepted once, and one step of clock drift is allowed)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code_for(device) -> str:
    right = {code_for(device, steps_ahead=n) for n in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(0, 1000000, 7919)) if c not in right)


def _form(client) -> dict:
    # The pages take forms; an APIClient would send JSON by default.
    return {"format": "multipart"} if isinstance(client, APIClient) else {}


def password_step(client, user, password=TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"username": user.get_username(), "password": password, **extra}, **_form(client))


def sign_in(client, user, device, *, steps_ahead=0, password=TEST_PASSWORD):
    """Both steps; returns the code step's response."""
    first = password_step(client, user, password)
    assert first.status_code == 302 and first["Location"] == CODE, first
    return client.post(CODE, {"code": code_for(device, steps_ahead=steps_ahead)}, **_form(client))


def signed_in(client) -> bool:
    return client.get(ME).status_code == 200
