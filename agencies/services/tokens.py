"""API tokens: a user issues and revokes their own; an agency administrator
those of the agency's service accounts (service_accounts.py). The key is
never audited, only the token's id, name and prefix.

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

from casehub import audit
from casehub.rules.refusal import Refused

from .. import second_factor
from ..models import ApiToken
from .input import pk_of, validated


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


def describe(act: audit.Act, token: ApiToken) -> None:
    act.about(token)
    act.detail.update(user=token.user.username, name=token.name, prefix=token.prefix,
                      expires_at=token.expires_at.isoformat() if token.expires_at else None)


def issue_for(act: audit.Act, user, serializer, request=None) -> tuple[ApiToken, str]:
    """A new token for `user` and its key (shown once), asked for by the act's
    actor from `request`."""
    from ..authentication import by_verified_session

    if second_factor.required() and not (request is not None and by_verified_session(request)):
        raise Refused.deny(_("API tokens are issued only to a signed-in browser session that passed the "
                             "second factor."))
    data = validated(serializer)
    expires_at = data.get("expires_at")
    problem = expiry_problem(expires_at, created_by=act.user)
    if problem:
        raise Refused.invalid("expires_at", problem)
    token, key = ApiToken.issue(user=user, name=data["name"], expires_at=expires_at or longest_expiry(),
                                created_by=act.user)
    describe(act, token)
    return token, key


def revoke(act: audit.Act, token: ApiToken) -> ApiToken:
    describe(act, token)
    if token.is_revoked:
        act.detail["already_revoked"] = True
    token.revoke(by=act.user)
    return token


def issue_own(*, actor, serializer, request=None) -> tuple[ApiToken, str]:
    """A token for the actor: the token and its key (shown once)."""
    with audit.act(user=actor, action="token.issue", object_type="token", request=request) as act:
        return issue_for(act, actor, serializer, request)


def revoke_own(*, actor, token_id, request=None) -> ApiToken:
    """Revoke one of the actor's tokens; anyone else's does not exist for
    them (404, audited against the agency of the token's owner)."""
    with audit.act(user=actor, action="token.revoke", object_type="token", object_id=str(token_id)[:40],
                   request=request) as act:
        pk = pk_of(token_id)
        token = ApiToken.objects.select_related("user").filter(pk=pk).first() if pk else None
        if token is None or token.user_id != actor.pk:
            if token is not None:
                act.owner_agency_id = token.user.service_agency_id or audit.acting_agency_id(token.user)
            raise Refused.missing()
        return revoke(act, token)


def own(user, limit: int = 100) -> list[ApiToken]:
    """The user's API tokens, newest first, revoked and expired ones too
    (the record of what existed stays readable)."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")[:limit])
