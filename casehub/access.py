"""The access module: what may this user see and do.

Every path that reads or changes protected data asks here — REST views,
search, WebSockets, file downloads, exports and feeds. Answers are built on
the user's current memberships (one indexed query) and, for objects shared
with other agencies, on guardian's direct-foreign-key group tables.

This file starts with the questions the platform foundation needs; case
visibility joins it with the case domain.
"""

from collections.abc import Iterable

from agencies.models import Membership
from agencies.roles import Role


def is_platform_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def _membership_cache(user) -> dict[int, frozenset[str]]:
    """agency id -> roles held there now, cached on the user object for the
    life of the request."""
    cache = getattr(user, "_casehub_roles", None)
    if cache is None:
        roles: dict[int, set[str]] = {}
        if user and user.is_authenticated:
            for agency_id, role in Membership.objects.current().filter(user=user).values_list("agency_id", "role"):
                roles.setdefault(agency_id, set()).add(role)
        cache = {agency_id: frozenset(r) for agency_id, r in roles.items()}
        user._casehub_roles = cache
    return cache


def forget_cached_roles(user) -> None:
    user.__dict__.pop("_casehub_roles", None)


def agency_ids(user) -> set[int]:
    """Agencies the user currently belongs to, in any role."""
    return set(_membership_cache(user))


def roles_in(user, agency_id: int) -> frozenset[str]:
    return _membership_cache(user).get(agency_id, frozenset())


def has_role(user, agency_id: int, roles: Role | Iterable[Role]) -> bool:
    wanted = {roles} if isinstance(roles, str) else set(roles)
    return bool(roles_in(user, agency_id) & wanted)


def agency_ids_with_role(user, roles: Role | Iterable[Role]) -> set[int]:
    wanted = {roles} if isinstance(roles, str) else set(roles)
    return {agency_id for agency_id, held in _membership_cache(user).items() if held & wanted}


def can_manage_members(user, agency_id: int) -> bool:
    """Agency administrators manage their own agency's members and service
    accounts; platform administrators manage every agency's."""
    return is_platform_admin(user) or has_role(user, agency_id, Role.AGENCY_ADMIN)


def managed_agency_ids(user) -> set[int] | None:
    """Agencies whose members the user manages; None means all of them."""
    if is_platform_admin(user):
        return None
    return agency_ids_with_role(user, Role.AGENCY_ADMIN)
