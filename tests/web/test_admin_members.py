"""/manage/members/ — 人员与角色: an agency administrator lists, filters,
adds (existing or new user), changes and ends memberships of their own
agency, on agencies/services/memberships.py; anyone else gets a 404."""

import pytest
from django.urls import reverse

from agencies.models import AgencyKind, Membership, User
from agencies.roles import Role
from casehub.models import AuditEntry
from tests.factories import AgencyFactory, MembershipFactory, Office, UserFactory, member

from .helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db
MEMBERS = reverse("web:members")


@pytest.fixture
def admin_of(office):
    return member(office.agency, Role.AGENCY_ADMIN, username="wuting", full_name="吴婷")


@pytest.fixture
def platform(db):
    return UserFactory(username="pingtai", is_superuser=True, is_staff=True)


def test_the_agency_admin_sees_the_members_and_their_roles(office, admin_of):
    page = signed_in(admin_of).get(MEMBERS)
    text = page.content.decode()
    assert page.status_code == 200
    assert office.head.display_name in text and office.head.username in text
    assert {m.user_id for m in page.context["page"].rows} >= {office.officer.pk, office.head.pk, admin_of.pk}
    assert "人员与角色" in text  # the navigation entry and the title


def test_filters_by_role_state_and_name(office, admin_of):
    ended = Membership.objects.get(user=office.officer2)
    ended.ended_at = ended.started_at
    ended.save()
    client = signed_in(admin_of)
    reviewers = client.get(MEMBERS, {"role": Role.REVIEWER}).context["page"].rows
    assert [m.user_id for m in reviewers] == [office.reviewer.pk]
    assert [m.user_id for m in client.get(MEMBERS, {"state": "ended"}).context["page"].rows] == [office.officer2.pk]
    assert office.officer2.pk not in {m.user_id for m in client.get(MEMBERS).context["page"].rows}
    named = client.get(MEMBERS, {"q": office.head.username}).context["page"].rows
    assert [m.user_id for m in named] == [office.head.pk]
    rows = client.get(MEMBERS, {"q": "nobody-at-all"}, HTTP_HX_REQUEST="true")
    assert rows.status_code == 200 and "<html" not in rows.content.decode() and "暂无数据" in rows.content.decode()


def test_add_an_existing_user_in_a_role(office, admin_of):
    newcomer = UserFactory(username="xinren", full_name="新人")
    response = signed_in(admin_of).post(reverse("web:member-add"), {
        "agency": office.agency.pk, "user": "xinren", "role": Role.OFFICER})
    assert response.status_code == 302
    assert Membership.objects.current().filter(user=newcomer, agency=office.agency, role=Role.OFFICER).exists()
    assert AuditEntry.objects.filter(action="membership.add", result="allowed").count() == 1
    followed = signed_in(admin_of).get(response["Location"])
    assert "新人" in followed.content.decode()


def test_refusals_show_at_the_field(office, admin_of):
    client = signed_in(admin_of)
    supervisor = client.post(reverse("web:member-add"), {
        "agency": office.agency.pk, "user": office.officer.username, "role": Role.SUPERVISOR})
    assert supervisor.status_code == 400
    assert len(supervisor.context["add_form"].errors["role"]) == 1
    assert "检察院" in supervisor.content.decode()
    twice = client.post(reverse("web:member-add"), {
        "agency": office.agency.pk, "user": office.officer.username, "role": Role.OFFICER})
    assert twice.status_code == 400 and twice.context["add_form"].errors["role"]
    unknown = client.post(reverse("web:member-add"), {
        "agency": office.agency.pk, "user": "no-such-user", "role": Role.OFFICER})
    assert unknown.status_code == 400 and unknown.context["add_form"].errors["user"]
    empty = client.post(reverse("web:member-add"), {"agency": office.agency.pk, "user": "", "role": "boss"})
    assert empty.status_code == 400 and set(empty.context["add_form"].errors) == {"user", "role"}
    assert Membership.objects.filter(agency=office.agency).count() == 5


def test_a_supervisor_is_added_in_a_procuratorate(platform):
    procuratorate = AgencyFactory(kind=AgencyKind.PROCURATORATE)
    someone = UserFactory(username="jiancha")
    response = signed_in(platform).post(reverse("web:member-add"), {
        "agency": procuratorate.pk, "user": "jiancha", "role": Role.SUPERVISOR})
    assert response.status_code == 302
    assert Membership.objects.filter(user=someone, agency=procuratorate, role=Role.SUPERVISOR).exists()


def test_a_new_user_gets_a_first_password_shown_once(office, admin_of, client):
    response = signed_in(admin_of).post(reverse("web:member-new-user"), {
        "agency": office.agency.pk, "username": "zhangsan", "full_name": "张三", "role": Role.OFFICER})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    password = response.context["new_password"]
    assert password and password in response.content.decode()
    user = User.objects.get(username="zhangsan")
    assert user.full_name == "张三" and user.check_password(password)
    assert Membership.objects.current().filter(user=user, agency=office.agency, role=Role.OFFICER).exists()
    entry = AuditEntry.objects.get(action="membership.add", result="allowed")
    assert entry.detail["new_user"] is True and password not in str(entry.detail)
    assert password not in signed_in(admin_of).get(MEMBERS).content.decode()
    assert client.login(username="zhangsan", password=password)


def test_a_new_user_with_a_taken_username_is_refused_at_the_field(office, admin_of):
    response = signed_in(admin_of).post(reverse("web:member-new-user"), {
        "agency": office.agency.pk, "username": office.officer.username.upper(), "full_name": "重名",
        "role": Role.OFFICER})
    assert response.status_code == 400 and response.context["new_form"].errors["username"]
    supervisor = signed_in(admin_of).post(reverse("web:member-new-user"), {
        "agency": office.agency.pk, "username": "lisi", "full_name": "李四", "role": Role.SUPERVISOR})
    assert supervisor.status_code == 400 and supervisor.context["new_form"].errors["role"]
    assert not User.objects.filter(username="lisi").exists()  # nothing half-written


def test_change_a_role(office, admin_of):
    membership = Membership.objects.get(user=office.officer2)
    url = reverse("web:member-role", args=[membership.pk])
    client = signed_in(admin_of)
    assert client.get(url).status_code == 200
    response = client.post(url, {"role": Role.REVIEWER})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.REVIEWER
    refused = client.post(url, {"role": Role.SUPERVISOR})
    assert refused.status_code == 400 and refused.context["form"].errors["role"]


def test_end_a_membership_confirmed_in_a_dialog(office, admin_of):
    membership = Membership.objects.get(user=office.officer2)
    client = signed_in(admin_of)
    page = client.get(MEMBERS).content.decode()
    assert f'data-open-dialog="#end-{membership.pk}"' in page and f'<dialog id="end-{membership.pk}"' in page
    url = reverse("web:member-end", args=[membership.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    membership.refresh_from_db()
    assert membership.ended_at is not None
    again = client.post(url, follow=True)
    assert again.status_code == 200 and [str(m) for m in again.context["messages"]]
    assert AuditEntry.objects.filter(action="membership.end", result="allowed").count() == 1


def test_another_agency_is_a_404(office, admin_of):
    other = Office(code="421000-SCJG", short_name="荆市监")
    theirs = Membership.objects.get(user=other.officer)
    client = signed_in(admin_of)
    assert client.get(MEMBERS, {"agency": other.agency.pk}).status_code == 404
    assert client.post(reverse("web:member-add"), {
        "agency": other.agency.pk, "user": office.officer.username, "role": Role.OFFICER}).status_code == 404
    assert client.get(reverse("web:member-role", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("web:member-role", args=[theirs.pk]), {"role": Role.HEAD}).status_code == 404
    assert client.post(reverse("web:member-end", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.ended_at is None and theirs.role == Role.OFFICER


@pytest.mark.parametrize("who", ["officer", "head", "outsider", "stranger"])
def test_officers_and_outsiders_get_a_404(office, admin_of, outsider, stranger, who):
    user = {"officer": office.officer, "head": office.head, "outsider": outsider, "stranger": stranger}[who]
    membership = Membership.objects.get(user=office.officer2)
    client = signed_in(user)
    assert client.get(MEMBERS).status_code == 404
    assert client.post(reverse("web:member-add"), {
        "agency": office.agency.pk, "user": "x", "role": Role.OFFICER}).status_code == 404
    assert client.post(reverse("web:member-new-user"), {
        "agency": office.agency.pk, "username": "x", "full_name": "x", "role": Role.OFFICER}).status_code == 404
    assert client.get(reverse("web:member-role", args=[membership.pk])).status_code == 404
    assert client.post(reverse("web:member-end", args=[membership.pk])).status_code == 404
    assert "人员与角色" not in signed_in(user).get(reverse("web:account")).content.decode()


def test_a_platform_admin_chooses_any_agency(office, platform):
    other = Office(code="421000-SCJG", short_name="荆市监")
    client = signed_in(platform)
    page = client.get(MEMBERS, {"agency": other.agency.pk})
    assert page.status_code == 200 and page.context["agency"] == other.agency
    assert {m.user_id for m in page.context["page"].rows} == {
        other.officer.pk, other.officer2.pk, other.reviewer.pk, other.head.pk}
    assert page.context["picker"] is not None
    assert f'<input type="hidden" name="agency" value="{other.agency.pk}">' in page.content.decode()
    heads = client.get(MEMBERS, {"agency": other.agency.pk, "role": Role.HEAD}, HTTP_HX_REQUEST="true")
    assert [m.user_id for m in heads.context["page"].rows] == [other.head.pk]


def test_the_list_costs_the_same_queries_whatever_its_length(office, admin_of):
    made = []

    def grow(n):
        while len(made) + 1 < n:
            made.append(MembershipFactory(agency=office.agency, role=Role.OFFICER))

    assert_constant_queries(signed_in(admin_of), f"{MEMBERS}?state=all", grow)


def test_pages_by_keyset(office, admin_of):
    for _ in range(55):  # with the office's 5 members: 60
        MembershipFactory(agency=office.agency)
    client = signed_in(admin_of)
    first = client.get(MEMBERS)
    assert len(first.context["page"].rows) == 50 and first.context["older_url"]
    second = client.get(first.context["older_url"])
    assert len(second.context["page"].rows) == 10 and second.context["newer_url"]
    assert not {m.pk for m in first.context["page"].rows} & {m.pk for m in second.context["page"].rows}
