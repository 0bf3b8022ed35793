"""API tokens: a user issues and revokes their own; an agency administrator
those of the agency's service accounts (service_accounts.py). The key is
never audited, only the token's id, name and prefix."""

from __future__ import annotations

from casehub import audit
from casehub.rules.refusal import Refused

from ..models import ApiToken
from .input import pk_of, validated


def describe(act: audit.Act, token: ApiToken) -> None:
    act.about(token)
    act.detail.update(user=token.user.username, name=token.name, prefix=token.prefix,
                      expires_at=token.expires_at.isoformat() if token.expires_at else None)


def issue_for(act: audit.Act, user, serializer) -> tuple[ApiToken, str]:
    data = validated(serializer)
    token, key = ApiToken.issue(user=user, name=data["name"], expires_at=data.get("expires_at"), created_by=act.user)
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
        return issue_for(act, actor, serializer)


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
