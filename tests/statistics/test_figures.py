"""Every figure of every table, for a known set of cases (dataset.py): what
the city office counts (its own and its district office's cases), what the
procuratorate counts (what it supervises), what the platform counts, and
that the outsider's cases never count for the office."""

from decimal import Decimal

import pytest

from casehub import access, statistics
from casehub.statistics import Filters
from tests.factories import UserFactory

from .dataset import YEAR, build

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def world():
    return build()


def read(user, name, year=YEAR, region=None):
    codes = None
    if region:
        from agencies.models import Region
        codes = tuple(Region.subtree_codes(region))
    return statistics.definition(name).build(access.statistics_scope(user), Filters(year, region, codes))


def rows(table, *keys):
    """{code: (figures...)} of the named columns."""
    index = [table.keys().index(k) for k in keys]
    return {row[0]: tuple(row[i] for i in index) for row in table.rows}


def test_every_table_is_listed():
    assert [d.name for d in statistics.tables()] == [
        "cases_by_status", "cases_by_ip_type", "cases_by_kind", "cases_by_campaign", "cases_by_region",
        "cases_by_month", "timeliness", "overdue_now", "publication_timeliness", "transfers_by_kind_step",
        "transfers_to_police", "assistance_response", "penalties_by_ip_type", "repeat_infringers", "plan_indicators"]


def test_cases_of_the_office_and_its_district(world):
    head = world.office.head
    assert rows(read(head, "cases_by_status"), "label", "cases") == {
        "lead": ("线索", 1), "investigating": ("调查中", 1), "under_review": ("审核中", 1),
        "decided": ("已作出决定", 1), "closed": ("已结案", 1)}
    assert rows(read(head, "cases_by_ip_type"), "cases") == {"trademark": (3,), "copyright": (1,),
                                                             "invention_patent": (1,)}
    assert rows(read(head, "cases_by_kind"), "cases") == {"administrative_penalty": (4,),
                                                          "patent_adjudication": (1,)}
    assert rows(read(head, "cases_by_campaign"), "cases") == {"": (3,), "铁拳": (1,), "剑网": (1,)}
    assert rows(read(head, "cases_by_region"), "label", "cases") == {"420500": ("宜昌市", 3),
                                                                     "420502": ("西陵区", 2)}


def test_month_by_month(world):
    table = read(world.office.head, "cases_by_month")
    figures = rows(table, "leads", "filed", "decided", "closed")
    assert len(figures) == 12
    assert {m: f for m, f in figures.items() if any(f)} == {
        1: (1, 1, 0, 0), 2: (1, 0, 0, 0), 3: (1, 2, 1, 0), 4: (1, 1, 0, 1), 5: (1, 0, 0, 0), 7: (0, 0, 1, 0)}


def test_on_time_rates_and_overdue_now(world):
    head = world.office.head
    assert rows(read(head, "timeliness"), "total", "on_time", "late", "rate") == {
        "filing": (4, 3, 1, D("75.0")), "decision": (2, 1, 1, D("50.0"))}
    assert rows(read(head, "overdue_now"), "overdue") == {"cases": (2,), "transfers": (1,), "assistance": (1,)}
    assert rows(read(head, "publication_timeliness"), "value") == {
        "records": (3,), "published": (2,), "on_time": (1,), "late": (1,), "pending": (0,), "overdue": (1,),
        "rate": (D("33.3"),)}


def test_transfers(world):
    head = world.office.head
    assert rows(read(head, "transfers_by_kind_step"), "transfers") == {
        "suspected_crime:accepted": (1,), "suspected_crime:refused": (1,),
        "suspected_crime:reconsideration": (1,), "jurisdiction:proposed": (1,)}
    assert rows(read(head, "transfers_to_police"), "value") == {
        "sent": (3,), "decided": (3,), "average_days": (D("6.0"),), "median_days": (D("5.0"),),
        "refusal_rate": (D("66.7"),), "reconsideration_rate": (D("50.0"),), "hand_over_on_time_rate": (D("100.0"),)}


def test_assistance(world):
    assert rows(read(world.office.head, "assistance_response"), "value") == {
        "total": (4,), "answered": (2,), "declined": (1,), "open": (1,), "overdue": (1,),
        "average_days": (D("5.0"),), "median_days": (D("5.0"),), "on_time_rate": (D("50.0"),)}


def test_penalties_and_repeat_infringers(world):
    head = world.office.head
    assert rows(read(head, "penalties_by_ip_type"), "decisions", "fines", "confiscated") == {
        "trademark": (2, D("15000.00"), D("2000.00"))}
    assert rows(read(head, "repeat_infringers"), "label", "cases") == {"91420500MA4X000001": ("宜昌甲商贸有限公司", 3)}


def test_plan_indicators_against_their_targets(world):
    assert rows(read(world.office.head, "plan_indicators"), "value", "target", "attainment") == {
        "enforcement_cases": (4, D("8.00"), D("50.0")),
        "police_transfers": (3, D("6.00"), D("50.0")),
        "timely_publication_rate": (D("33.3"), D("90.00"), D("37.0")),
    }


def test_the_district_counts_only_its_own(world):
    head = world.district.head
    assert rows(read(head, "cases_by_status"), "cases") == {"lead": (1,), "investigating": (1,)}
    assert rows(read(head, "assistance_response"), "value")["total"] == (2,)  # received from O, sent to A
    assert rows(read(head, "transfers_by_kind_step"), "transfers") == {
        "suspected_crime:reconsideration": (1,), "jurisdiction:proposed": (1,)}


def test_a_region_filter_counts_its_subregions(world):
    head = world.office.head
    assert rows(read(head, "cases_by_status", region="420502"), "cases") == {"lead": (1,), "investigating": (1,)}
    assert rows(read(head, "cases_by_status", region="420500"), "cases") == {
        "lead": (1,), "investigating": (1,), "under_review": (1,), "decided": (1,), "closed": (1,)}


def test_another_year(world):
    head = world.office.head
    assert rows(read(head, "cases_by_status", year=YEAR - 1), "cases") == {"closed": (1,)}
    assert rows(read(head, "penalties_by_ip_type", year=YEAR - 1), "fines") == {"trademark": (D("7000.00"),)}


def test_the_procuratorate_counts_what_it_supervises(world):
    procurator = world.supervisor
    assert rows(read(procurator, "cases_by_status"), "cases") == {
        "investigating": (1,), "under_review": (1,), "decided": (1,)}
    assert rows(read(procurator, "transfers_to_police"), "value")["sent"] == (3,)
    assert rows(read(procurator, "transfers_by_kind_step"), "transfers") == {
        "suspected_crime:accepted": (1,), "suspected_crime:refused": (1,), "suspected_crime:reconsideration": (1,)}


def test_the_platform_counts_everything(world):
    admin = UserFactory(username="platform", is_superuser=True, is_staff=True)
    assert sum(read(admin, "cases_by_status").column("cases")) == 6
    assert rows(read(admin, "penalties_by_ip_type"), "decisions", "fines") == {"trademark": (3, D("114999.00"))}
    assert rows(read(admin, "repeat_infringers"), "cases") == {"91420500MA4X000001": (3,),
                                                               "91420500MA4Y000002": (2,)}
    assert rows(read(admin, "transfers_to_police"), "value")["hand_over_on_time_rate"] == (D("50.0"),)


def test_the_outsider_counts_only_its_own(world):
    head = world.outsider.head
    assert rows(read(head, "cases_by_status"), "cases") == {"decided": (1,)}
    assert rows(read(head, "penalties_by_ip_type"), "fines") == {"trademark": (D("99999.00"),)}
    assert read(head, "repeat_infringers").rows == []


def test_without_a_statistics_role_nothing_counts(world):
    officer = world.office.officer
    assert access.statistics_scope(officer).empty
    assert read(officer, "cases_by_status").rows == []
