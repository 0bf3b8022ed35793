import pytest
from django.utils import timezone

from agencies.models import Membership
from agencies.roles import Role
from tests.factories import AgencyFactory, MembershipFactory, UserFactory, member

pytestmark = pytest.mark.django_db


class TestMe:
    def test_shows_current_memberships_and_roles(self, api):
        market = AgencyFactory(code="420500-SCJG")
        police = AgencyFactory(code="420500-GA", kind="police")
        user = member(market, role=Role.OFFICER)
        MembershipFactory(user=user, agency=market, role=Role.LIAISON)
        MembershipFactory(user=user, agency=police, role=Role.OFFICER, ended_at=timezone.now())
        api.force_authenticate(user)
        body = api.get("/api/v1/me/").json()
        assert body["roles"] == {"420500-SCJG": ["liaison", "officer"]} or body["roles"] == {
            "420500-SCJG": ["officer", "liaison"]
        }
        assert {m["agency"]["code"] for m in body["memberships"]} == {"420500-SCJG"}
        assert body["is_platform_admin"] is False

    def test_inactive_agency_memberships_are_not_shown(self, api):
        agency = AgencyFactory(active=False)
        api.force_authenticate(member(agency))
        assert api.get("/api/v1/me/").json()["memberships"] == []

    def test_query_count_does_not_grow_with_memberships(self, api, django_assert_max_num_queries):
        user = UserFactory()
        for _ in range(5):
            MembershipFactory(user=user)
        api.force_authenticate(user)
        with django_assert_max_num_queries(2):
            assert len(api.get("/api/v1/me/").json()["memberships"]) == 5

    def test_patch_own_profile_but_not_username(self, api):
        user = UserFactory(username="zhangsan")
        api.force_authenticate(user)
        response = api.patch("/api/v1/me/", {"full_name": "张三", "username": "root"}, format="json")
        assert response.status_code == 200
        user.refresh_from_db()
        assert (user.full_name, user.username) == ("张三", "zhangsan")

    def test_bad_email_is_400(self, api):
        user = UserFactory()
        api.force_authenticate(user)
        response = api.patch("/api/v1/me/", {"email": "not-an-email"}, format="json")
        assert response.status_code == 400 and "email" in response.json()


class TestMembershipAdministration:
    url = "/api/v1/memberships/"

    @pytest.fixture
    def agency(self):
        return AgencyFactory(code="420500-SCJG")

    @pytest.fixture
    def admin(self, api, agency):
        user = member(agency, role=Role.AGENCY_ADMIN)
        api.force_authenticate(user)
        return user

    def test_admin_adds_a_member_who_joins_the_group_at_once(self, api, agency, admin):
        newcomer = UserFactory(username="xiaoli")
        response = api.post(self.url, {"user": "xiaoli", "agency": agency.pk, "role": "officer"}, format="json")
        assert response.status_code == 201, response.content
        assert newcomer.groups.filter(pk=agency.group_id).exists()

    def test_ending_removes_from_the_group_and_from_me(self, api, agency, admin):
        officer = member(agency)
        membership = Membership.objects.get(user=officer)
        assert api.post(f"{self.url}{membership.pk}/end/").status_code == 200
        assert not officer.groups.filter(pk=agency.group_id).exists()
        api.force_authenticate(officer)
        assert api.get("/api/v1/me/").json()["memberships"] == []

    def test_changing_role_keeps_the_group(self, api, agency, admin):
        officer = member(agency)
        membership = Membership.objects.get(user=officer)
        response = api.patch(f"{self.url}{membership.pk}/", {"role": "reviewer"}, format="json")
        assert response.status_code == 200
        assert officer.groups.filter(pk=agency.group_id).exists()
        membership.refresh_from_db()
        assert membership.role == "reviewer"

    def test_cannot_add_to_another_agency(self, api, agency, admin):
        other = AgencyFactory()
        UserFactory(username="xiaoli")
        response = api.post(self.url, {"user": "xiaoli", "agency": other.pk, "role": "officer"}, format="json")
        assert response.status_code == 403  # before the username is even looked up
        assert not Membership.objects.filter(agency=other).exists()

    def test_other_agencies_memberships_are_invisible(self, api, agency, admin):
        foreign = MembershipFactory(agency=AgencyFactory())
        listed = api.get(self.url).json()
        assert {m["agency"] for m in listed["results"]} == {agency.pk}
        assert api.get(f"{self.url}{foreign.pk}/").status_code == 404
        assert api.post(f"{self.url}{foreign.pk}/end/").status_code == 404
        foreign.refresh_from_db()
        assert foreign.ended_at is None

    @pytest.mark.parametrize(
        "payload,field",
        [
            ({"user": "nobody", "role": "officer"}, "user"),
            ({"user": "xiaoli", "role": "wizard"}, "role"),
            ({"user": "xiaoli", "role": "supervisor"}, "role"),  # only procuratorates supervise
        ],
    )
    def test_bad_input_is_400_and_stores_nothing(self, api, agency, admin, payload, field):
        UserFactory(username="xiaoli")
        before = Membership.objects.count()
        response = api.post(self.url, {**payload, "agency": agency.pk}, format="json")
        assert response.status_code == 400 and field in response.json()
        assert Membership.objects.count() == before

    def test_duplicate_role_is_400(self, api, agency, admin):
        officer = member(agency)
        response = api.post(self.url, {"user": officer.username, "agency": agency.pk, "role": "officer"}, format="json")
        assert response.status_code == 400 and "role" in response.json()
        assert Membership.objects.filter(user=officer).count() == 1

    def test_membership_cannot_move_agency(self, api, agency, admin):
        membership = Membership.objects.get(user=member(agency))
        other = AgencyFactory()
        response = api.patch(f"{self.url}{membership.pk}/", {"agency": other.pk}, format="json")
        assert response.status_code == 400
        membership.refresh_from_db()
        assert membership.agency == agency

    def test_plain_officer_manages_nothing(self, api, agency):
        officer = member(agency)
        api.force_authenticate(officer)
        assert api.get(self.url).json()["count"] == 0
        UserFactory(username="xiaoli")
        response = api.post(self.url, {"user": "xiaoli", "agency": agency.pk, "role": "head"}, format="json")
        assert response.status_code == 403
        assert not Membership.objects.filter(user__username="xiaoli").exists()

    def test_list_query_count_is_constant(self, api, agency, admin, django_assert_num_queries):
        for _ in range(3):
            member(agency)
        api.get(self.url)  # warm any one-off lookups
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            api.get(self.url)
        for _ in range(20):
            member(agency)
        with CaptureQueriesContext(connection) as many:
            assert api.get(self.url).json()["count"] == 24
        assert len(few) == len(many)
