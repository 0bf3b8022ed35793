"""Agency groups follow memberships, so one guardian grant to an agency's
group reaches exactly its current members."""

import pytest
from django.utils import timezone
from guardian.shortcuts import assign_perm

from agencies.groups import agency_group_name
from agencies.models import Membership
from agencies.roles import Role
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def in_group(user, agency) -> bool:
    return user.groups.filter(pk=agency.group_id).exists()


def test_every_agency_gets_its_own_group():
    agency = AgencyFactory(code="420500-SCJG")
    assert agency.group.name == agency_group_name("420500-SCJG") == "agency:420500-SCJG"


def test_renaming_the_code_renames_the_group():
    agency = AgencyFactory()
    group_id = agency.group_id
    agency.code = "NEW-CODE"
    agency.save()
    agency.group.refresh_from_db()
    assert agency.group_id == group_id and agency.group.name == "agency:NEW-CODE"


def test_membership_added_joins_and_ended_leaves():
    agency, user = AgencyFactory(), UserFactory()
    membership = MembershipFactory(user=user, agency=agency)
    assert in_group(user, agency)
    membership.ended_at = timezone.now()
    membership.save()
    assert not in_group(user, agency)


def test_user_stays_while_any_role_remains():
    agency, user = AgencyFactory(), UserFactory()
    officer = MembershipFactory(user=user, agency=agency, role=Role.OFFICER)
    MembershipFactory(user=user, agency=agency, role=Role.LIAISON)
    officer.delete()
    assert in_group(user, agency)
    Membership.objects.get(user=user, agency=agency).delete()
    assert not in_group(user, agency)


def test_groups_of_other_agencies_untouched():
    first, second, user = AgencyFactory(), AgencyFactory(), UserFactory()
    MembershipFactory(user=user, agency=first)
    ended = MembershipFactory(user=user, agency=second)
    ended.ended_at = timezone.now()
    ended.save()
    assert in_group(user, first) and not in_group(user, second)


def test_unrelated_groups_are_kept():
    from django.contrib.auth.models import Group

    user = UserFactory()
    reviewers = Group.objects.create(name="platform-reviewers")
    user.groups.add(reviewers)
    MembershipFactory(user=user).delete()
    assert user.groups.filter(pk=reviewers.pk).exists()


def test_deactivated_agency_drops_and_reactivated_restores_members():
    agency, user = AgencyFactory(), UserFactory()
    MembershipFactory(user=user, agency=agency)
    agency.active = False
    agency.save()
    assert not in_group(user, agency)
    agency.active = True
    agency.save()
    assert in_group(user, agency)


def test_one_group_grant_reaches_current_members_only():
    owner, shared_with = AgencyFactory(), AgencyFactory()
    user = UserFactory()
    membership = MembershipFactory(user=user, agency=shared_with)
    # Share `owner` (any object would do) with the other agency by one grant.
    assign_perm("agencies.view_agency", shared_with.group, owner)
    assert user.has_perm("agencies.view_agency", owner)

    membership.ended_at = timezone.now()
    membership.save()
    fresh = type(user).objects.get(pk=user.pk)  # permission caches are per instance
    assert not fresh.has_perm("agencies.view_agency", owner)
