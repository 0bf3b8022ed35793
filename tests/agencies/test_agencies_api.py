import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from agencies.models import Agency, AgencyKind, Region, RegionLevel
from tests.factories import AgencyFactory, RegionFactory, UserFactory, member

pytestmark = pytest.mark.django_db
URL = "/api/v1/agencies/"


@pytest.fixture
def yichang():
    hubei = RegionFactory(code="420000", name="湖北省", level=RegionLevel.PROVINCE)
    city = RegionFactory(code="420500", name="宜昌市", level=RegionLevel.CITY, parent=hubei)
    RegionFactory(code="420502", name="西陵区", level=RegionLevel.DISTRICT, parent=city)
    RegionFactory(code="421000", name="荆州市", level=RegionLevel.CITY, parent=hubei)
    return city


@pytest.fixture
def directory(yichang):
    AgencyFactory(code="420500-SCJG", name="宜昌市市场监督管理局", region_id="420500")
    AgencyFactory(code="420500-GA", name="宜昌市公安局", kind=AgencyKind.POLICE, region_id="420500")
    AgencyFactory(code="420502-SCJG", name="宜昌市西陵区市场监督管理局", region_id="420502")
    AgencyFactory(code="421000-GA", name="荆州市公安局", kind=AgencyKind.POLICE, region_id="421000")


@pytest.fixture
def platform_admin():
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def codes(response):
    assert response.status_code == 200, response.content
    return sorted(a["code"] for a in response.json()["results"])


def test_list_requires_login(api, directory):
    assert api.get(URL).status_code == 401


def test_any_member_reads_the_directory(api, directory):
    api.force_authenticate(member(Agency.objects.get(code="421000-GA")))
    assert len(codes(api.get(URL))) == 4


def test_filters_by_kind_region_and_subtree(api, directory):
    api.force_authenticate(UserFactory())
    assert codes(api.get(URL, {"kind": "police"})) == ["420500-GA", "421000-GA"]
    assert codes(api.get(URL, {"region": "420500"})) == ["420500-GA", "420500-SCJG"]
    assert codes(api.get(URL, {"within": "420500"})) == ["420500-GA", "420500-SCJG", "420502-SCJG"]
    assert codes(api.get(URL, {"within": "420500", "kind": "market_supervision"})) == ["420500-SCJG", "420502-SCJG"]
    assert codes(api.get(URL, {"q": "荆州"})) == ["421000-GA"]


def test_unknown_region_filter_is_400(api, directory):
    api.force_authenticate(UserFactory())
    for param in ("region", "within"):
        response = api.get(URL, {param: "999999"})
        assert response.status_code == 400
        assert param in response.json()


def test_list_query_count_does_not_grow_with_rows(api, yichang):
    api.force_authenticate(UserFactory())
    AgencyFactory.create_batch(2, region=yichang)
    with CaptureQueriesContext(connection) as few:
        assert api.get(URL).status_code == 200
    AgencyFactory.create_batch(30, region=yichang)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(URL).json()["results"]) == 32
    assert len(few) == len(many)


def test_detail_shows_region(api, directory):
    api.force_authenticate(UserFactory())
    agency = Agency.objects.get(code="420502-SCJG")
    body = api.get(f"{URL}{agency.pk}/").json()
    assert body["region"] == "420502"
    assert body["region_detail"]["name"] == "西陵区"
    assert body["kind_display"] == "市场监督管理（知识产权局）"


class TestWrites:
    valid = {"code": "420500-BQ", "name": "宜昌市版权局", "short_name": "宜版", "kind": "copyright", "region": "420500"}

    def test_platform_admin_creates(self, api, yichang, platform_admin):
        api.force_authenticate(platform_admin)
        response = api.post(URL, self.valid, format="json")
        assert response.status_code == 201, response.content
        agency = Agency.objects.get(code="420500-BQ")
        assert agency.group.name == "agency:420500-BQ"

    def test_members_cannot_change_the_directory(self, api, directory):
        agency = Agency.objects.get(code="420500-SCJG")
        api.force_authenticate(member(agency, role="agency_admin"))
        assert api.post(URL, self.valid, format="json").status_code == 403
        assert api.patch(f"{URL}{agency.pk}/", {"name": "改名"}, format="json").status_code == 403
        agency.refresh_from_db()
        assert agency.name == "宜昌市市场监督管理局"

    def test_unknown_region_code_is_400_and_stores_nothing(self, api, yichang, platform_admin):
        api.force_authenticate(platform_admin)
        response = api.post(URL, {**self.valid, "region": "123456"}, format="json")
        assert response.status_code == 400
        assert "region" in response.json()
        assert not Agency.objects.filter(code="420500-BQ").exists()

    def test_duplicate_code_is_400_and_keeps_the_original(self, api, directory, platform_admin):
        api.force_authenticate(platform_admin)
        response = api.post(URL, {**self.valid, "code": "420500-GA"}, format="json")
        assert response.status_code == 400
        assert "code" in response.json()
        assert Agency.objects.get(code="420500-GA").name == "宜昌市公安局"

    def test_malformed_json_is_400_and_stores_nothing(self, api, yichang, platform_admin):
        api.force_authenticate(platform_admin)
        before = Agency.objects.count()
        response = api.generic("POST", URL, '{"code": "X", "name": ', content_type="application/json")
        assert response.status_code == 400
        assert "detail" in response.json()
        assert Agency.objects.count() == before

    def test_field_errors_for_every_bad_field(self, api, yichang, platform_admin):
        api.force_authenticate(platform_admin)
        response = api.post(URL, {"code": "bad code", "name": "", "kind": "wizardry", "region": "420500"}, format="json")
        assert response.status_code == 400
        assert {"code", "name", "kind"} <= set(response.json())

    def test_agency_cannot_be_its_own_ancestor(self, api, directory, platform_admin):
        api.force_authenticate(platform_admin)
        city = Agency.objects.get(code="420500-SCJG")
        district = Agency.objects.get(code="420502-SCJG")
        district.parent = city
        district.save()
        response = api.patch(f"{URL}{city.pk}/", {"parent": district.pk}, format="json")
        assert response.status_code == 400 and "parent" in response.json()
        city.refresh_from_db()
        assert city.parent is None

    def test_agencies_cannot_be_deleted(self, api, directory, platform_admin):
        api.force_authenticate(platform_admin)
        agency = Agency.objects.get(code="420500-GA")
        assert api.delete(f"{URL}{agency.pk}/").status_code == 405
        assert Agency.objects.filter(pk=agency.pk).exists()


def test_regions_list_and_detail(api, yichang):
    api.force_authenticate(UserFactory())
    body = api.get("/api/v1/regions/", {"parent": "420500"}).json()
    assert [r["code"] for r in body["results"]] == ["420502"]
    assert api.get("/api/v1/regions/420500/").json()["name"] == "宜昌市"
    assert api.get("/api/v1/regions/999999/").status_code == 404
    assert Region.objects.count() == 4
