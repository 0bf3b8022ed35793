"""Signing in, in steps: the password, then the second factor (a code from
the authenticator app, or a recovery code) or, for someone who must have
one and has none, its enrolment; then, if the password is past its maximum
age, a new password. Until the last step nobody is signed in: the session
holds only a pending login (whose, since when, where to go next), and every
other page, the API and the sockets see an anonymous visitor.

Wrong codes count in the login throttle like wrong passwords (per username
and per address), and only a finished login clears the username's count: a
password that is known does not buy more guesses at the code."""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.contrib import auth
from django.utils.crypto import constant_time_compare
from django_otp import login as otp_login
from django_otp.models import Device

from .. import login_throttle, second_factor
from ..backends import client_address
from ..models import User
from . import passwords

PENDING_KEY = "casehub_login_pending"


class Step(StrEnum):
    CODE = "code"  # a code from the authenticator, or a recovery code
    ENROL = "enrol"  # set up an authenticator first
    PASSWORD = "password"  # the password is too old: choose a new one
    DONE = "done"  # signed in


class Locked(Exception):
    """Too many failures for this username or address: no code is checked."""


@dataclass
class PendingLogin:
    user: User
    step: Step
    next_url: str
    backend: str
    device_id: str | None  # the second factor passed, once it has been


def _step_after_second_factor(user) -> Step:
    return Step.PASSWORD if passwords.expired(user) else Step.DONE


def begin(request, user, next_url: str = "") -> Step:
    """The password was right (the form authenticated `user`): what next."""
    if second_factor.enrolled(user):
        step = Step.CODE
    elif second_factor.required():
        step = Step.ENROL
    else:
        step = _step_after_second_factor(user)
    backend = user.backend
    if step is Step.DONE:
        _sign_in(request, user, backend, None)
        return step
    # A new session key for a session that now means something.
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user._meta.pk.value_to_string(user), "backend": backend, "hash": user.get_session_auth_hash(),
        "since": time.time(), "next": next_url, "step": str(step), "device": None,
    }
    return step


def pending(request) -> PendingLogin | None:
    """The login in progress in this session, if it is still good: not
    older than LOGIN_PENDING_SECONDS, its user still able to sign in with
    the password that began it."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    user = User.objects.filter(pk=data.get("user")).first()
    try:
        backend = auth.load_backend(data["backend"])
    except (KeyError, ImportError):
        backend = None
    if (
        time.time() - data.get("since", 0) > settings.LOGIN_PENDING_SECONDS
        or user is None
        or backend is None
        or data["backend"] not in settings.AUTHENTICATION_BACKENDS
        or not backend.user_can_authenticate(user)
        or not constant_time_compare(user.get_session_auth_hash(), data.get("hash", ""))
    ):
        abandon(request)
        return None
    return PendingLogin(user=user, step=Step(data["step"]), next_url=data.get("next", ""),
                        backend=data["backend"], device_id=data.get("device"))


def abandon(request) -> None:
    request.session.pop(PENDING_KEY, None)


def verify_code(request, login: PendingLogin, code: str) -> Step | None:
    """The code step: the next step, or None for a wrong code. Raises Locked
    while the username or the address is locked out."""
    username, address = login.user.get_username(), client_address(request)
    if login_throttle.locked(username, address):
        raise Locked
    device = second_factor.verify(login.user, code)
    if device is None:
        login_throttle.record_failure(username, address)
        return None
    return second_factor_passed(request, login, device)


def second_factor_passed(request, login: PendingLogin, device: Device) -> Step:
    """The user proved the second factor (a code, or a new authenticator's
    first code at enrolment)."""
    step = _step_after_second_factor(login.user)
    if step is Step.DONE:
        _sign_in(request, login.user, login.backend, device)
    else:
        data = request.session[PENDING_KEY]
        request.session[PENDING_KEY] = {**data, "step": str(step), "device": device.persistent_id}
    return step


def password_replaced(request, login: PendingLogin) -> None:
    """The expired password was replaced: the login completes."""
    device = Device.from_persistent_id(login.device_id) if login.device_id else None
    login.user.refresh_from_db()
    _sign_in(request, login.user, login.backend, device)


def _sign_in(request, user, backend: str, device: Device | None) -> None:
    abandon(request)
    login_throttle.forget(user.get_username())
    auth.login(request, user, backend=backend)
    if device is not None:
        # Marks the session as having passed the second factor.
        otp_login(request, device)


def verified_in_session(request, device: Device) -> None:
    """A signed-in user who just proved a new authenticator: their session
    has passed the second factor."""
    otp_login(request, device)
