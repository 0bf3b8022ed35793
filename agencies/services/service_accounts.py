"""Service accounts: system accounts through which another agency system
exchanges data, each bound to one agency, authenticating by token only.
Their agency's administrators create, change and deactivate them, and
issue and revoke their tokens."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from casehub import audit
from casehub.rules.refusal import Refused

from ..models import ApiToken, Membership, User
from ..models.agency import AgencyKind
from ..roles import PROCURATORATE_ONLY_ROLES
from . import tokens
from .administration import managed, require_named_agency
from .input import pk_of, raw, validated
from .scope import on_agency

ONLY_PROCURATORATES = _("Only a procuratorate has supervisors.")
FIXED = _("This cannot be changed after creation.")
TAKEN = _("A user with that username already exists.")
CHANGEABLE = ("username", "full_name", "is_active")


def create(*, actor, serializer, request=None) -> User:
    with audit.act(user=actor, action="service_account.create", object_type="service_account",
                   request=request) as act:
        require_named_agency(act, raw(serializer).get("agency"))
        data = validated(serializer)
        role, agency = data.pop("role"), data["service_agency"]
        if role in PROCURATORATE_ONLY_ROLES and agency.kind != AgencyKind.PROCURATORATE:
            raise Refused.invalid("role", ONLY_PROCURATORATES)
        account = User(**{name: data[name] for name in ("username", "full_name", "is_active", "service_agency")
                          if name in data})
        account.set_unusable_password()
        try:
            with transaction.atomic():
                account.save()
        except IntegrityError:  # taken by a concurrent request since validation
            raise Refused.invalid("username", TAKEN) from None
        Membership.objects.create(user=account, agency=agency, role=role)
        on_agency(act, agency.pk, account)
        act.detail.update(username=account.username, role=role)
    return account


def _find(act: audit.Act, account_id) -> User:
    """A service account of an agency the actor administers; any other
    does not exist for them (404, audited against its agency)."""
    pk = pk_of(account_id)
    account = User.objects.filter(pk=pk, service_agency__isnull=False).first() if pk else None
    if account is None or not managed(act.user, account.service_agency_id):
        on_agency(act, account.service_agency_id if account else None, object_id=str(account_id)[:40])
        raise Refused.missing()
    on_agency(act, account.service_agency_id, account)
    act.detail["username"] = account.username
    return account


def update(*, actor, account_id, serializer_for, request=None) -> User:
    """Rename, re-describe, disable or enable an account; its agency and
    role are fixed at creation. `serializer_for(account)`: the input."""
    with audit.act(user=actor, action="service_account.update", object_type="service_account",
                   object_id=account_id, request=request) as act:
        account = _find(act, account_id)
        serializer = serializer_for(account)
        fixed = {name: [FIXED] for name in ("agency", "role") if name in raw(serializer)}
        if fixed:
            raise Refused(fixed)
        data = validated(serializer)
        before, after = {}, {}
        for name in CHANGEABLE:
            if name in data and data[name] != getattr(account, name):
                before[name], after[name] = getattr(account, name), data[name]
                setattr(account, name, data[name])
        if after:
            try:
                with transaction.atomic():
                    account.save(update_fields=sorted(after))
            except IntegrityError:
                raise Refused.invalid("username", TAKEN) from None
            act.detail.update(before=before, after=after)
    return account


def deactivate(*, actor, account_id, request=None) -> User:
    """Disable the account and revoke every token it holds."""
    with audit.act(user=actor, action="service_account.deactivate", object_type="service_account",
                   object_id=account_id, request=request) as act:
        account = _find(act, account_id)
        account.is_active = False
        account.save(update_fields=["is_active"])
        revoked = 0
        for token in account.api_tokens.filter(revoked_at__isnull=True):
            token.revoke(by=actor)
            revoked += 1
        act.detail["tokens_revoked"] = revoked
    return account


def issue_token(*, actor, account_id, serializer, request=None) -> tuple[ApiToken, str]:
    with audit.act(user=actor, action="token.issue", object_type="token", request=request) as act:
        account = _find(act, account_id)
        return tokens.issue_for(act, account, serializer, request)


def revoke_token(*, actor, account_id, token_id, request=None) -> ApiToken:
    with audit.act(user=actor, action="token.revoke", object_type="token", object_id=str(token_id)[:40],
                   request=request) as act:
        account = _find(act, account_id)
        pk = pk_of(token_id)
        token = account.api_tokens.select_related("user").filter(pk=pk).first() if pk else None
        if token is None:
            act.about(object_id=str(token_id)[:40])
            raise Refused.missing()
        return tokens.revoke(act, token)
