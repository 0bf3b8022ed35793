"""Issuing and revoking API tokens.

A token lasts API_TOKEN_LIFETIME_DAYS (90 by default) unless asked for
less; only a platform administrator may ask for more. When the second
factor is required, a token is issued only to a browser session that
passed it: a token cannot mint its successor, so a leaked key dies with
its expiry."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from casehub.services.errors import Refused

from .. import second_factor
from ..models import ApiToken


def longest_expiry(now: datetime | None = None) -> datetime | None:
    days = settings.API_TOKEN_LIFETIME_DAYS
    return None if days <= 0 else (now or timezone.now()) + timedelta(days=days)


def expiry_problem(expires_at: datetime | None, *, created_by) -> str | None:
    """Why this expiry cannot be asked for, or None."""
    if expires_at is None:
        return None
    now = timezone.now()
    if expires_at <= now:
        return _("The expiry must be in the future.")
    longest = longest_expiry(now)
    if longest is not None and expires_at > longest and not getattr(created_by, "is_superuser", False):
        return _("A token lasts at most %(days)d days, until %(date)s.") % {
            "days": settings.API_TOKEN_LIFETIME_DAYS, "date": date_format(timezone.localtime(longest), "DATE_FORMAT")}
    return None


def issue(*, user, name: str, created_by, expires_at: datetime | None = None,
          second_factor_passed: bool) -> tuple[ApiToken, str]:
    """A new token for `user` and its key (shown once). `second_factor_passed`:
    the request comes from a session that passed the second factor."""
    if second_factor.required() and not second_factor_passed:
        raise Refused({"detail": [_("API tokens are issued only to a signed-in browser session that passed the "
                                    "second factor.")]}, forbidden=True)
    problem = expiry_problem(expires_at, created_by=created_by)
    if problem:
        raise Refused({"expires_at": [problem]})
    if expires_at is None:
        expires_at = longest_expiry()
    return ApiToken.issue(user=user, name=name, created_by=created_by, expires_at=expires_at)


def revoke(token: ApiToken, *, by) -> None:
    token.revoke(by=by)
