"""The password policy of GB/T 22239-2019 level 3 (8.1.4.1 a: authentication
information has complexity requirements and is changed regularly), as
Django password validators: every path that validates a password (the
change page, the API, the admin's forms, the demo seed) applies all of it.
The length comes from Django's MinimumLengthValidator (PASSWORD_MIN_LENGTH),
the age from PASSWORD_MAX_AGE_DAYS (services/passwords.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def character_classes(password: str) -> int:
    """How many of the four classes the password uses: lower-case letters,
    upper-case letters, digits, and everything else (symbols, spaces, CJK)."""
    found = set()
    for char in password:
        if char.isascii() and char.islower():
            found.add("lower")
        elif char.isascii() and char.isupper():
            found.add("upper")
        elif char.isdigit():
            found.add("digit")
        else:
            found.add("other")
    return len(found)


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return ngettext(
            "Use at least %(count)d of: lower-case letters, upper-case letters, digits, symbols.",
            "Use at least %(count)d of: lower-case letters, upper-case letters, digits, symbols.",
            self.min_classes,
        ) % {"count": self.min_classes}


class UsernameValidator:
    """The username, forwards or backwards, anywhere in the password: what
    Django's similarity check misses when the rest of the password is long."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").strip().lower()
        if len(username) < 3:
            return
        lowered = password.lower()
        if username in lowered or username[::-1] in lowered:
            raise ValidationError(_("The password must not contain the username."), code="password_contains_username")

    def get_help_text(self):
        return _("Your password must not contain your username.")


def former_password_hashes(user) -> list[str]:
    """The hashes of the user's current and former passwords the reuse rule
    covers, newest first."""
    if user is None or user.pk is None:
        return []
    hashes = [user.password] if user.password and user.has_usable_password() else []
    keep = max(settings.PASSWORD_HISTORY - len(hashes), 0)
    hashes += list(user.password_history.values_list("password", flat=True)[:keep])
    return hashes


class HistoryValidator:
    """None of the last PASSWORD_HISTORY passwords again (the current one
    among them)."""

    def validate(self, password, user=None):
        for encoded in former_password_hashes(user):
            if check_password(password, encoded):
                raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self):
        count = settings.PASSWORD_HISTORY
        return ngettext(
            "Your password must differ from your last password.",
            "Your password must differ from your last %(count)d passwords.",
            count,
        ) % {"count": count}
