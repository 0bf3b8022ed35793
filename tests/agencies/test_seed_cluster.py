import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from agencies.models import Agency, AgencyKind, Region
from agencies.seed import cluster
from agencies.seed.load import seed_agencies

pytestmark = pytest.mark.django_db

CITY_KINDS = {kind for kind, *_ in cluster.CITY_AGENCIES} | {"customs", "arbitration"}


def snapshot():
    return (
        sorted(Region.objects.values_list("code", "name", "level", "parent_id", "has_gb_code")),
        sorted(Agency.objects.values_list("code", "name", "short_name", "kind", "region_id", "parent_id", "updated", "group_id")),
        Group.objects.count(),
    )


def test_seeding_twice_changes_nothing():
    first = seed_agencies()
    assert first["regions_created"] == 20 and first["agencies_created"] == Agency.objects.count() > 80
    before = snapshot()
    assert seed_agencies() == dict.fromkeys(first, 0)
    assert snapshot() == before


def test_command_reports_counts(capsys):
    call_command("seed_agencies")
    call_command("seed_agencies")
    assert "agencies: 0 created, 0 updated" in capsys.readouterr().out


def test_every_city_has_every_kind_at_city_level():
    seed_agencies()
    for city_code, *_ in cluster.CITIES:
        kinds = set(Agency.objects.filter(region_id=city_code).values_list("kind", flat=True))
        assert CITY_KINDS <= kinds, (city_code, CITY_KINDS - kinds)


def test_yichang_counties_have_market_supervision_and_police_under_the_city():
    seed_agencies()
    city_market = Agency.objects.get(code="420500-SCJG")
    assert city_market.name == "宜昌市市场监督管理局（宜昌市知识产权局）"
    below = Region.objects.filter(parent_id="420500")
    assert below.count() == 15
    for region in below:
        local = {a.kind: a for a in Agency.objects.filter(region=region)}
        assert local["market_supervision"].parent == city_market
        assert local["police"].parent.code == "420500-GA"
    assert Agency.objects.get(code="YC-GXQ-GA").name == "宜昌市公安局高新区分局"
    assert Agency.objects.get(code="420525-GA").name == "远安县公安局"
    assert not Region.objects.get(code="YC-SXBQ").has_gb_code


def test_every_agency_has_its_group_and_valid_fields():
    seed_agencies()
    for agency in Agency.objects.select_related("group"):
        agency.full_clean()
        assert agency.group.name == f"agency:{agency.code}"
        assert agency.kind in AgencyKind.values


def test_reseeding_restores_a_changed_agency():
    seed_agencies()
    Agency.objects.filter(code="420500-GA").update(name="改错的名字")
    counts = seed_agencies()
    assert counts["agencies_updated"] == 1
    assert Agency.objects.get(code="420500-GA").name == "宜昌市公安局"
