"""Changing one's own password, and its maximum age.

The policy itself is the password validators' (agencies/passwords.py). A
change keeps the session it was made in and ends every other: Django's
session hash changes with the password, so the others no longer count, and
`credentials_ended` tells whoever holds something else open for the user
(sockets) once the change is committed."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casehub.services.errors import Refused

from .. import login_throttle
from ..backends import client_address


def expires_at(user) -> datetime | None:
    """When the password must be changed (None: no maximum age)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    changed = user.password_changed_at or user.date_joined
    if days <= 0 or changed is None:
        return None
    return changed + timedelta(days=days)


def expired(user) -> bool:
    deadline = expires_at(user)
    return deadline is not None and deadline <= timezone.now()


def change_password(user, *, current: str, new: str, request=None) -> None:
    """Replace the user's password. Refused (400 by field) when the current
    password is wrong — a failure the login throttle counts, so a stolen
    session cannot guess it — or the new one breaks the policy."""
    if user.is_service_account:
        raise Refused({"current_password": [_("A service account has no password; it signs in by token.")]},
                      forbidden=True)
    username, address = user.get_username(), client_address(request)
    errors: dict[str, list[str]] = {}
    if login_throttle.locked(username, address):
        errors["current_password"] = [
            _("Too many failed attempts. Try again in %(minutes)d minutes.") % {"minutes": login_throttle.window_minutes()}
        ]
    elif not current or not user.check_password(current):
        login_throttle.record_failure(username, address)
        errors["current_password"] = [_("Your current password is not correct.")]
    try:
        validate_password(new or "", user)
    except ValidationError as exc:
        errors["new_password"] = list(exc.messages)
    if errors:
        raise Refused(errors)
    with transaction.atomic():
        user.set_password(new)
        user.save(update_fields=["password"])  # agencies/credentials.py announces it: sockets re-check
    session = getattr(request, "session", None)
    if session is not None and SESSION_KEY in session and request.user == user:
        # This session stays signed in (under a new key); the user's others end.
        update_session_auth_hash(request, user)
