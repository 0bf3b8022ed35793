"""Acts on accounts, through the real URL router: each is audited exactly
once, allowed or denied (with its reasons, and nothing else written), and
a denied attempt shows to the auditors of the agency it was aimed at."""

import pytest
from django.test import Client

from agencies.models import Agency, ApiToken, Membership, User
from agencies.roles import Role
from tests.factories import (
    TEST_PASSWORD,
    AgencyFactory,
    RegionFactory,
    UserFactory,
    member,
    service_account,
    token_for,
)

from .trail import Trail

pytestmark = pytest.mark.django_db
MEMBERSHIPS, ACCOUNTS, TOKENS, AGENCIES = "/api/v1/memberships/", "/api/v1/service-accounts/", "/api/v1/me/tokens/", \
    "/api/v1/agencies/"
ADDRESS = "10.7.7.7"


@pytest.fixture
def agency():
    return AgencyFactory(code="420500-SCJG")


@pytest.fixture
def other():
    return AgencyFactory(code="421000-SCJG")


@pytest.fixture
def admin(agency):
    return member(agency, Role.AGENCY_ADMIN, username="wuting")


@pytest.fixture
def officer(agency):
    return member(agency, Role.OFFICER, username="wangfang")


def as_user(api, user):
    api.force_authenticate(user)
    return api


# --- defect 9: no username oracle --------------------------------------------------
class TestNoUsernameOracle:
    """Before the fix the serializer looked the username up before anyone
    asked whether the caller administers anything: an officer got 400
    "Object with username=nobody does not exist" for a stranger and a 403
    (or 400 "agency") for a real person."""

    def test_an_officer_gets_the_same_403_whatever_the_username(self, api, agency, officer):
        UserFactory(username="xiaoli")
        as_user(api, officer)
        answers = [api.post(MEMBERSHIPS, {"user": name, "agency": agency.pk, "role": "officer"}, format="json")
                   for name in ("xiaoli", "nobody-at-all")]
        assert [a.status_code for a in answers] == [403, 403]
        assert answers[0].json() == answers[1].json()
        assert not Membership.objects.filter(user__username="xiaoli").exists()

    def test_an_admin_of_another_agency_gets_the_same_403_whatever_the_username(self, api, agency, other):
        UserFactory(username="xiaoli")
        as_user(api, member(other, Role.AGENCY_ADMIN))
        answers = [api.post(MEMBERSHIPS, {"user": name, "agency": agency.pk, "role": "officer"}, format="json")
                   for name in ("xiaoli", "nobody-at-all")]
        assert [a.status_code for a in answers] == [403, 403]
        assert answers[0].json() == answers[1].json()

    def test_the_agency_admin_gets_field_errors(self, api, agency, admin):
        as_user(api, admin)
        response = api.post(MEMBERSHIPS, {"user": "nobody-at-all", "agency": agency.pk, "role": "officer"},
                            format="json")
        assert response.status_code == 400 and "user" in response.json()

    def test_service_accounts_do_not_tell_whether_a_username_is_taken(self, api, agency, officer):
        UserFactory(username="taken")
        as_user(api, officer)
        answers = [api.post(ACCOUNTS, {"username": name, "agency": agency.pk}, format="json")
                   for name in ("taken", "free-name")]
        assert [a.status_code for a in answers] == [403, 403]
        assert answers[0].json() == answers[1].json()
        assert not User.objects.filter(username="free-name").exists()


# --- memberships ---------------------------------------------------------------------
def test_adding_a_member_is_audited_once_against_the_agency(api, agency, admin):
    UserFactory(username="xiaoli")
    trail = Trail()
    response = as_user(api, admin).post(MEMBERSHIPS, {"user": "xiaoli", "agency": agency.pk, "role": "reviewer"},
                                        format="json", REMOTE_ADDR=ADDRESS)
    assert response.status_code == 201
    entry = trail.allowed("membership.add")
    assert (entry.user, entry.agency_id, entry.owner_agency_id, entry.ip_address) == (admin, agency.pk, agency.pk,
                                                                                       ADDRESS)
    assert entry.object_type == "membership" and entry.object_id == str(response.json()["id"])
    assert entry.detail == {"user": "xiaoli", "agency": agency.code, "role": "reviewer"}


def test_an_officers_attempt_is_denied_once_and_shows_to_the_agency_aimed_at(api, agency, other):
    UserFactory(username="xiaoli")
    prober = member(other, Role.OFFICER)
    trail = Trail()
    response = as_user(api, prober).post(MEMBERSHIPS, {"user": "xiaoli", "agency": agency.pk, "role": "head"},
                                         format="json")
    assert response.status_code == 403
    entry = trail.denied("membership.add")
    assert (entry.user, entry.agency_id, entry.owner_agency_id) == (prober, other.pk, agency.pk)
    assert entry.detail["refusal"] == "forbidden"
    # The agency's auditor sees who tried.
    auditor = member(agency, Role.AUDITOR)
    listed = as_user(api, auditor).get("/api/v1/audit/", {"action": "membership.add"}).json()["results"]
    assert [(e["user"], e["result"]) for e in listed] == [(prober.username, "denied")]


def test_an_invalid_membership_is_denied_once_with_its_reasons(api, agency, admin):
    UserFactory(username="xiaoli")
    trail = Trail()
    response = as_user(api, admin).post(MEMBERSHIPS, {"user": "xiaoli", "agency": agency.pk, "role": "supervisor"},
                                        format="json")
    assert response.status_code == 400 and "role" in response.json()
    entry = trail.denied("membership.add")
    assert entry.detail["refusal"] == "invalid" and "role" in entry.detail["reasons"]
    assert entry.owner_agency_id == agency.pk


def test_a_duplicate_role_is_a_field_error_denied_once(api, agency, admin, officer):
    trail = Trail()
    response = as_user(api, admin).post(MEMBERSHIPS, {"user": officer.username, "agency": agency.pk,
                                                      "role": "officer"}, format="json")
    assert response.status_code == 400 and "role" in response.json()
    trail.denied("membership.add")


def test_changing_a_role_is_audited_with_before_and_after(api, agency, admin, officer):
    membership = Membership.objects.get(user=officer)
    trail = Trail()
    response = as_user(api, admin).patch(f"{MEMBERSHIPS}{membership.pk}/", {"role": "reviewer"}, format="json")
    assert response.status_code == 200
    entry = trail.allowed("membership.change")
    assert entry.detail["before"] == {"role": "officer"} and entry.detail["after"] == {"role": "reviewer"}
    assert entry.object_id == str(membership.pk) and entry.owner_agency_id == agency.pk


def test_changing_another_agencys_membership_is_a_404_denied_against_that_agency(api, agency, other, admin):
    foreign = Membership.objects.get(user=member(other))
    trail = Trail()
    response = as_user(api, admin).patch(f"{MEMBERSHIPS}{foreign.pk}/", {"role": "head"}, format="json")
    assert response.status_code == 404
    entry = trail.denied("membership.change")
    assert entry.owner_agency_id == other.pk and entry.object_id == str(foreign.pk)
    foreign.refresh_from_db()
    assert foreign.role == "officer"


def test_ending_a_membership_is_audited_once(api, agency, admin, officer):
    membership = Membership.objects.get(user=officer)
    trail = Trail()
    assert as_user(api, admin).post(f"{MEMBERSHIPS}{membership.pk}/end/").status_code == 200
    entry = trail.allowed("membership.end")
    assert entry.detail["user"] == officer.username
    trail = Trail()
    assert api.post(f"{MEMBERSHIPS}{membership.pk}/end/").status_code == 409  # ended already
    trail.denied("membership.end")


def test_an_officer_cannot_end_a_membership_and_it_is_audited(api, agency, officer):
    colleague = Membership.objects.get(user=member(agency))
    trail = Trail()
    assert as_user(api, officer).post(f"{MEMBERSHIPS}{colleague.pk}/end/").status_code == 404
    assert trail.denied("membership.end").owner_agency_id == agency.pk
    colleague.refresh_from_db()
    assert colleague.ended_at is None


# --- service accounts and tokens --------------------------------------------------------
def test_a_service_account_is_created_once_audited(api, agency, admin):
    trail = Trail()
    response = as_user(api, admin).post(ACCOUNTS, {"username": "svc-case-sync", "agency": agency.pk,
                                                   "role": "officer"}, format="json")
    assert response.status_code == 201
    entry = trail.allowed("service_account.create")
    assert entry.detail == {"username": "svc-case-sync", "role": "officer"}
    assert entry.owner_agency_id == agency.pk and entry.object_id == str(response.json()["id"])


def test_an_officer_creating_a_service_account_is_denied_once(api, agency, officer):
    trail = Trail()
    assert as_user(api, officer).post(ACCOUNTS, {"username": "svc-x", "agency": agency.pk},
                                      format="json").status_code == 403
    assert trail.denied("service_account.create").owner_agency_id == agency.pk


def test_changing_and_deactivating_a_service_account_are_audited(api, agency, admin):
    account = service_account(agency)
    key = token_for(account)
    as_user(api, admin)
    trail = Trail()
    assert api.patch(f"{ACCOUNTS}{account.pk}/", {"full_name": "案件同步"}, format="json").status_code == 200
    assert trail.allowed("service_account.update").detail["after"] == {"full_name": "案件同步"}
    trail = Trail()
    assert api.delete(f"{ACCOUNTS}{account.pk}/").status_code == 204
    entry = trail.allowed("service_account.deactivate")
    assert entry.detail["tokens_revoked"] == 1 and entry.object_id == str(account.pk)
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_fixed_fields_of_a_service_account_are_denied_once(api, agency, admin):
    account = service_account(agency)
    trail = Trail()
    response = as_user(api, admin).patch(f"{ACCOUNTS}{account.pk}/", {"role": "head"}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"role"}
    trail.denied("service_account.update")


def test_another_agencys_service_account_is_a_404_denied_against_it(api, agency, other, admin):
    account = service_account(other)
    as_user(api, admin)
    for method, path, action in [("delete", f"{ACCOUNTS}{account.pk}/", "service_account.deactivate"),
                                 ("post", f"{ACCOUNTS}{account.pk}/tokens/", "token.issue")]:
        trail = Trail()
        assert getattr(api, method)(path, {"name": "x"}, format="json").status_code == 404
        assert trail.denied(action).owner_agency_id == other.pk
    account.refresh_from_db()
    assert account.is_active and not account.api_tokens.exists()


def test_service_account_tokens_are_issued_and_revoked_audited(api, agency, admin):
    account = service_account(agency)
    as_user(api, admin)
    trail = Trail()
    created = api.post(f"{ACCOUNTS}{account.pk}/tokens/", {"name": "sync"}, format="json")
    assert created.status_code == 201
    entry = trail.allowed("token.issue")
    key = created.json()["key"]
    assert key not in str(entry.detail) and entry.detail["user"] == account.username
    assert entry.owner_agency_id == agency.pk
    trail = Trail()
    assert api.delete(f"{ACCOUNTS}{account.pk}/tokens/{created.json()['id']}/").status_code == 204
    assert trail.allowed("token.revoke").object_id == str(created.json()["id"])


def test_own_tokens_are_issued_and_revoked_audited(api, officer):
    as_user(api, officer)
    trail = Trail()
    created = api.post(TOKENS, {"name": "脚本"}, format="json")
    assert created.status_code == 201
    entry = trail.allowed("token.issue")
    assert created.json()["key"] not in str(entry.detail)
    assert entry.detail["prefix"] == created.json()["prefix"]
    trail = Trail()
    assert api.delete(f"{TOKENS}{created.json()['id']}/").status_code == 204
    trail.allowed("token.revoke")


def test_an_invalid_token_request_is_denied_once(api, officer):
    trail = Trail()
    response = as_user(api, officer).post(TOKENS, {"name": "x", "expires_at": "2001-01-01T00:00:00Z"},
                                          format="json")
    assert response.status_code == 400 and "expires_at" in response.json()
    trail.denied("token.issue")


def test_revoking_someone_elses_token_is_a_404_denied_against_their_agency(api, agency, other):
    victim = member(other)
    key = token_for(victim)
    token = ApiToken.objects.get(user=victim)
    prober = member(agency)
    trail = Trail()
    assert as_user(api, prober).delete(f"{TOKENS}{token.pk}/").status_code == 404
    assert trail.denied("token.revoke").owner_agency_id == other.pk
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


# --- the agency directory and one's profile ------------------------------------------------
@pytest.fixture
def platform_admin():
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_creating_and_deactivating_an_agency_are_audited(api, platform_admin):
    region = RegionFactory(code="420500", name="宜昌市")
    as_user(api, platform_admin)
    trail = Trail()
    created = api.post(AGENCIES, {"code": "420500-BQ", "name": "宜昌市版权局", "short_name": "宜版",
                                  "kind": "copyright", "region": region.code}, format="json")
    assert created.status_code == 201, created.content
    entry = trail.allowed("agency.create")
    assert entry.owner_agency_id == created.json()["id"] and entry.detail["code"] == "420500-BQ"
    trail = Trail()
    assert api.patch(f"{AGENCIES}{created.json()['id']}/", {"active": False}, format="json").status_code == 200
    entry = trail.allowed("agency.deactivate")
    assert entry.detail["before"] == {"active": True} and entry.detail["after"] == {"active": False}


def test_a_member_changing_the_directory_is_denied_once(api, agency, officer):
    region = RegionFactory(code="420500", name="宜昌市")
    as_user(api, officer)
    trail = Trail()
    assert api.post(AGENCIES, {"code": "X-NEW", "name": "新机构", "kind": "copyright", "region": region.code},
                    format="json").status_code == 403
    trail.denied("agency.create")
    trail = Trail()
    assert api.patch(f"{AGENCIES}{agency.pk}/", {"active": False}, format="json").status_code == 403
    assert trail.denied("agency.update").owner_agency_id == agency.pk
    assert Agency.objects.get(pk=agency.pk).active


def test_an_agency_placed_under_itself_is_denied_once(api, agency, platform_admin):
    child = AgencyFactory(parent=agency)
    trail = Trail()
    response = as_user(api, platform_admin).patch(f"{AGENCIES}{agency.pk}/", {"parent": child.pk}, format="json")
    assert response.status_code == 400 and "parent" in response.json()
    trail.denied("agency.update")


def test_a_profile_change_is_audited_by_field_name_only(api, officer):
    trail = Trail()
    assert as_user(api, officer).patch("/api/v1/me/", {"phone": "13800000000"}, format="json").status_code == 200
    entry = trail.allowed("user.update_profile")
    assert entry.detail == {"fields": ["phone"]} and "13800000000" not in str(entry.detail)


# --- logins --------------------------------------------------------------------------------
LOGIN, LOGOUT = "/accounts/login/", "/accounts/logout/"


def test_a_login_and_a_logout_are_audited(agency, officer):
    client = Client(REMOTE_ADDR=ADDRESS)
    trail = Trail()
    assert client.post(LOGIN, {"username": officer.username, "password": TEST_PASSWORD}).status_code == 302
    entry = trail.one("login", "allowed")
    assert (entry.user, entry.ip_address, entry.agency_id, entry.owner_agency_id) == (officer, ADDRESS, agency.pk,
                                                                                      agency.pk)
    trail = Trail()
    assert client.post(LOGOUT).status_code == 302
    assert trail.one("logout", "allowed").user == officer


def test_a_failed_login_records_the_username_and_address_never_the_password(agency, officer):
    trail = Trail()
    assert Client(REMOTE_ADDR=ADDRESS).post(LOGIN, {"username": officer.username,
                                                    "password": "wrong-horse-7"}).status_code == 200
    entry = trail.denied("login.failed")
    assert entry.user is None and entry.ip_address == ADDRESS
    assert entry.detail["username"] == officer.username and entry.detail["reason"] == "bad_credentials"
    assert "wrong-horse-7" not in str(entry.detail)
    # Aimed at an account of the agency: its auditors see it.
    assert entry.object_id == str(officer.pk) and entry.owner_agency_id == agency.pk


def test_a_failed_login_for_an_unknown_username_names_no_account():
    trail = Trail()
    Client(REMOTE_ADDR=ADDRESS).post(LOGIN, {"username": "nobody-at-all", "password": "wrong-horse-7"})
    entry = trail.denied("login.failed")
    assert entry.object_id == "" and entry.owner_agency_id is None
    assert entry.detail["username"] == "nobody-at-all"


def test_a_locked_out_login_is_audited_as_such(agency, officer):
    for _ in range(5):
        Client(REMOTE_ADDR=ADDRESS).post(LOGIN, {"username": officer.username, "password": "wrong-horse-7"})
    trail = Trail()
    response = Client(REMOTE_ADDR=ADDRESS).post(LOGIN, {"username": officer.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    entry = trail.one("login.locked_out", "denied")
    assert entry.detail["reason"] == "locked_out" and entry.owner_agency_id == agency.pk


def test_every_login_form_is_audited(officer):
    trail = Trail()
    Client().post("/api-auth/login/", {"username": officer.username, "password": "wrong-horse-7"})
    response = Client().post("/admin/login/", {"username": officer.username, "password": "wrong-horse-7"})
    # The admin has no password form of its own (the second factor): it
    # sends people to the site's sign-in, so it tries no password.
    assert response.status_code == 302
    assert [e.detail["path"] for e in trail.entries()] == ["/api-auth/login/"]


def test_a_later_step_reports_its_failure_through_the_same_signal(officer):
    """What a second factor does when its code is wrong (agencies/login_audit.py)."""
    from django.contrib.auth.signals import user_login_failed

    trail = Trail()
    user_login_failed.send(sender=__name__, credentials={"username": officer.username}, request=None,
                           reason="second_factor")
    assert trail.one("login.failed", "denied").detail["reason"] == "second_factor"
