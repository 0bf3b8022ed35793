"""/manage/agencies/ — 机构管理: platform administrators list the agency
directory and create and edit agencies through agencies/services/directory.py;
anyone else gets a 404."""

import pytest
from django.urls import reverse

from agencies.models import Agency, AgencyKind
from agencies.roles import Role
from casehub.models import AuditEntry
from tests.factories import AgencyFactory, RegionFactory, UserFactory, member

from .helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db
AGENCIES = reverse("web:agencies")


@pytest.fixture
def platform(db):
    return UserFactory(username="pingtai", is_superuser=True, is_staff=True)


def test_the_directory_lists_kind_region_parent_and_state(platform, office):
    child = AgencyFactory(code="420502-SCJG", name="宜昌市西陵区市场监督管理局", parent=office.agency,
                          region=office.region)
    AgencyFactory(code="420500-OLD", name="已撤销的机构", active=False, region=office.region)
    page = signed_in(platform).get(AGENCIES)
    text = page.content.decode()
    assert page.status_code == 200
    assert child.name in text and office.agency.name in text and "宜昌市" in text
    assert "市场监督管理" in text  # the kind's label
    assert "已撤销的机构" in text and "status-off" in text
    filtered = signed_in(platform).get(AGENCIES, {"q": "西陵"}, HTTP_HX_REQUEST="true")
    assert [a.pk for a in filtered.context["agencies"]] == [child.pk] and "<html" not in filtered.content.decode()
    inactive = signed_in(platform).get(AGENCIES, {"state": "inactive"}).context["agencies"]
    assert [a.code for a in inactive] == ["420500-OLD"]
    kind = signed_in(platform).get(AGENCIES, {"kind": AgencyKind.POLICE}).context["agencies"]
    assert kind == []


def test_create_an_agency(platform, office):
    client = signed_in(platform)
    assert client.get(reverse("web:agency-new")).status_code == 200
    response = client.post(reverse("web:agency-new"), {
        "code": "420500-GA", "name": "宜昌市公安局", "short_name": "宜公安", "kind": AgencyKind.POLICE,
        "region": office.region.code, "parent": "", "active": "on"})
    assert response.status_code == 302 and response["Location"] == AGENCIES
    agency = Agency.objects.get(code="420500-GA")
    assert agency.name == "宜昌市公安局" and agency.kind == AgencyKind.POLICE and agency.active
    assert AuditEntry.objects.filter(action="agency.create", result="allowed").count() == 1


def test_edit_and_deactivate_an_agency(platform, office):
    parent = AgencyFactory(code="420000-SCJG", name="湖北省市场监督管理局", region=RegionFactory(code="420000"))
    url = reverse("web:agency-edit", args=[office.agency.pk])
    client = signed_in(platform)
    form = client.get(url).context["form"]
    assert form.initial["code"] == office.agency.code
    response = client.post(url, {
        "code": office.agency.code, "name": office.agency.name, "short_name": "宜市监", "kind": office.agency.kind,
        "region": office.region.code, "parent": str(parent.pk), "active": ""})
    assert response.status_code == 302
    office.agency.refresh_from_db()
    assert office.agency.parent == parent and not office.agency.active
    assert AuditEntry.objects.filter(action="agency.deactivate", result="allowed").count() == 1


def test_bad_input_shows_at_the_field(platform, office):
    client = signed_in(platform)
    taken = client.post(reverse("web:agency-new"), {
        "code": office.agency.code, "name": "重复", "kind": AgencyKind.POLICE, "region": office.region.code})
    assert taken.status_code == 400 and taken.context["form"].errors["code"]
    bad = client.post(reverse("web:agency-new"), {"code": "x", "name": "", "kind": "nope", "region": "999999"})
    assert bad.status_code == 400 and {"name", "kind", "region"} <= set(bad.context["form"].errors)
    lower = client.post(reverse("web:agency-new"), {
        "code": "bad code", "name": "某局", "kind": AgencyKind.POLICE, "region": office.region.code})
    assert lower.status_code == 400 and lower.context["form"].errors["code"]
    child = AgencyFactory(parent=office.agency, region=office.region)
    cycle = client.post(reverse("web:agency-edit", args=[office.agency.pk]), {
        "code": office.agency.code, "name": office.agency.name, "kind": office.agency.kind,
        "region": office.region.code, "parent": str(child.pk), "active": "on"})
    assert cycle.status_code == 400 and cycle.context["form"].errors["parent"]
    office.agency.refresh_from_db()
    assert office.agency.parent is None
    assert Agency.objects.count() == 2


@pytest.mark.parametrize("who", ["officer", "head", "outsider", "stranger", "agency_admin"])
def test_everyone_else_gets_a_404(office, outsider, stranger, who):
    user = {"officer": office.officer, "head": office.head, "outsider": outsider, "stranger": stranger,
            "agency_admin": None}[who] or member(office.agency, Role.AGENCY_ADMIN)
    client = signed_in(user)
    assert client.get(AGENCIES).status_code == 404
    assert client.get(reverse("web:agency-new")).status_code == 404
    assert client.post(reverse("web:agency-new"), {"code": "X-1", "name": "x"}).status_code == 404
    assert client.post(reverse("web:agency-edit", args=[office.agency.pk]), {"name": "x"}).status_code == 404
    office.agency.refresh_from_db()
    assert office.agency.name != "x"


def test_the_list_costs_the_same_queries_whatever_its_length(platform, office):
    def grow(n):
        while Agency.objects.count() < n:
            AgencyFactory(parent=office.agency)

    assert_constant_queries(signed_in(platform), AGENCIES, grow)
