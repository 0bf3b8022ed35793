"""Memberships: an agency administrator adds a person to the agency in a
role, changes the role, ends the membership (the person leaves the agency's
group at once: agencies/signals.py)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casehub import audit
from casehub.rules.refusal import Refused

from ..models import Membership
from ..models.agency import AgencyKind
from ..roles import PROCURATORATE_ONLY_ROLES
from .administration import managed, require_named_agency
from .input import pk_of, raw, validated
from .scope import on_agency

ONLY_PROCURATORATES = _("Only a procuratorate has supervisors.")
DUPLICATE = _("This user already holds this role in this agency.")
NO_MOVE = _("A membership cannot move to another agency; end it and add a new one.")
NO_HANDOVER = _("A membership cannot be given to another user.")
ENDED = _("This membership has ended.")


def _check_role(agency, user, role, *, instance=None) -> None:
    if role in PROCURATORATE_ONLY_ROLES and agency.kind != AgencyKind.PROCURATORATE:
        raise Refused.invalid("role", ONLY_PROCURATORATES)
    duplicate = Membership.objects.current().filter(user=user, agency=agency, role=role)
    if instance is not None:
        duplicate = duplicate.exclude(pk=instance.pk)
    if duplicate.exists():
        raise Refused.invalid("role", DUPLICATE)


def _saved(membership: Membership, **kwargs) -> Membership:
    # Two administrators adding the same role at once: the database's
    # constraint decides, and the loser gets the same field error.
    try:
        with transaction.atomic():
            membership.save(**kwargs)
    except IntegrityError:
        raise Refused.invalid("role", DUPLICATE) from None
    return membership


def _described(act: audit.Act, membership: Membership) -> None:
    act.detail.update(user=membership.user.username, agency=membership.agency.code, role=membership.role)


def add(*, actor, serializer, request=None) -> Membership:
    """Add a membership. `serializer`: the unvalidated input (agencies.api)."""
    with audit.act(user=actor, action="membership.add", object_type="membership", request=request) as act:
        require_named_agency(act, raw(serializer).get("agency"))
        data = validated(serializer)
        agency, user, role = data["agency"], data["user"], data["role"]
        _check_role(agency, user, role)
        membership = _saved(Membership(user=user, agency=agency, role=role))
        on_agency(act, agency.pk, membership)
        _described(act, membership)
    return membership


def _find(act: audit.Act, membership_id) -> Membership:
    """A person's membership in an agency the actor administers, locked;
    any other does not exist for them (404, audited against its agency)."""
    pk = pk_of(membership_id)
    membership = (Membership.objects.select_for_update(of=("self",)).select_related("user", "agency")
                  .filter(pk=pk, user__service_agency__isnull=True).first()) if pk else None
    if membership is None or not managed(act.user, membership.agency_id):
        on_agency(act, membership.agency_id if membership else None, object_id=str(membership_id)[:40])
        raise Refused.missing()
    on_agency(act, membership.agency_id, membership)
    return membership


def change(*, actor, membership_id, serializer_for, request=None) -> Membership:
    """Change a membership's role. `serializer_for(membership)`: the
    unvalidated input bound to the membership found."""
    with audit.act(user=actor, action="membership.change", object_type="membership", object_id=membership_id,
                   request=request) as act:
        membership = _find(act, membership_id)
        _described(act, membership)
        if membership.ended_at is not None:
            raise Refused.clash(ENDED)
        data = validated(serializer_for(membership))
        if "agency" in data and data["agency"] != membership.agency:
            raise Refused.invalid("agency", NO_MOVE)
        if "user" in data and data["user"] != membership.user:
            raise Refused.invalid("user", NO_HANDOVER)
        role = data.get("role", membership.role)
        if role != membership.role:
            _check_role(membership.agency, membership.user, role, instance=membership)
            act.detail.update(before={"role": membership.role}, after={"role": role})
            membership.role = role
            _saved(membership, update_fields=["role"])
    return membership


def end(*, actor, membership_id, request=None) -> Membership:
    with audit.act(user=actor, action="membership.end", object_type="membership", object_id=membership_id,
                   request=request) as act:
        membership = _find(act, membership_id)
        _described(act, membership)
        if membership.ended_at is not None:
            raise Refused.clash(ENDED)
        membership.ended_at = timezone.now()
        membership.save(update_fields=["ended_at"])
    return membership


def own(user) -> list[Membership]:
    """The user's current memberships, with their agency and its region
    (for "my account"; one query)."""
    return list(Membership.objects.current().filter(user=user).select_related("agency__region")
                .order_by("agency__code", "role"))


def _first_password(user) -> str:
    """A random password the policy accepts (agencies/passwords.py)."""
    import secrets
    import string

    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    alphabet = string.ascii_letters + string.digits
    while True:
        password = "-".join("".join(secrets.choice(alphabet) for _i in range(4)) for _j in range(4))
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password


def add_new_user(*, actor, serializer, request=None) -> tuple[Membership, str]:
    """Create a person's account and add them to the agency in a role (one
    act). `serializer`: the unvalidated input (NewMemberSerializer). Returns
    the membership and the first password, shown once and never stored in
    the clear; the person changes it in 我的账号."""
    from ..models import User

    with audit.act(user=actor, action="membership.add", object_type="membership", request=request) as act:
        require_named_agency(act, raw(serializer).get("agency"))
        data = validated(serializer)
        agency, role = data["agency"], data["role"]
        if role in PROCURATORATE_ONLY_ROLES and agency.kind != AgencyKind.PROCURATORATE:
            raise Refused.invalid("role", ONLY_PROCURATORATES)
        user = User(username=data["username"], full_name=data["full_name"])
        password = _first_password(user)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # taken by a concurrent request since validation
            raise Refused.invalid("username", _("A user with that username already exists.")) from None
        membership = _saved(Membership(user=user, agency=agency, role=role))
        on_agency(act, agency.pk, membership)
        _described(act, membership)
        act.detail["new_user"] = True
    return membership, password
