"""One guardian group per agency, kept in step with memberships.

Sharing an object with an agency is then a single group grant in guardian's
direct-foreign-key group permission table, and "which agencies is this user
in" is one indexed join through auth_user_groups.

A user is in an agency's group exactly while they hold at least one current
membership in that agency and the agency is active.
"""

from django.contrib.auth.models import Group
from django.db import transaction

GROUP_NAME_PREFIX = "agency:"


def agency_group_name(code: str) -> str:
    return f"{GROUP_NAME_PREFIX}{code}"


def ensure_agency_group(agency) -> None:
    """Give an agency its group, or rename the group when the code changed.
    Called from Agency.save() so no agency exists without one."""
    name = agency_group_name(agency.code)
    if agency.group_id is None:
        agency.group, _ = Group.objects.get_or_create(name=name)
    elif agency.group.name != name:
        agency.group.name = name
        agency.group.save(update_fields=["name"])


def sync_user_agency_groups(user) -> None:
    """Make the user's agency groups match their current memberships."""
    from .models import Membership

    with transaction.atomic():
        wanted = set(
            Membership.objects.current().filter(user=user).values_list("agency__group_id", flat=True).distinct()
        )
        held = set(
            user.groups.filter(name__startswith=GROUP_NAME_PREFIX, agency__isnull=False).values_list("id", flat=True)
        )
        if wanted - held:
            user.groups.add(*(wanted - held))
        if held - wanted:
            user.groups.remove(*(held - wanted))


def sync_agency_members(agency) -> None:
    """After an agency is activated or deactivated, resync everyone who holds
    or held a membership in it."""
    from .models import User

    for user in User.objects.filter(memberships__agency=agency).distinct():
        sync_user_agency_groups(user)
