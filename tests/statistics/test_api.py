"""/api/v1/statistics/: the index, each table (the figures of
test_figures.py, as JSON), bad filters at their field, refusals as 404,
and one audit entry per read."""

import pytest

from casehub import statistics
from casehub.models import AuditEntry, Case
from tests.factories import Office, UserFactory, make_case

from .dataset import YEAR, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build()


def get(api, user, url, **params):
    api.force_authenticate(user)
    return api.get(url, params)


def test_the_index_lists_every_table(api, world):
    body = get(api, world.office.head, "/api/v1/statistics/").json()
    assert [t["name"] for t in body["tables"]] == [d.name for d in statistics.tables()]
    assert body["tables"][0]["url"].endswith("/api/v1/statistics/cases_by_status/")


def test_without_a_statistics_role_the_index_is_empty_and_a_table_not_found(api, world):
    assert get(api, world.office.officer, "/api/v1/statistics/").json() == {"tables": []}
    answer = get(api, world.office.officer, "/api/v1/statistics/cases_by_status/")
    assert answer.status_code == 404 and answer.json()["detail"]
    stranger = UserFactory(username="nobody")
    assert get(api, stranger, "/api/v1/statistics/cases_by_status/").status_code == 404


def test_every_table_answers_its_figures(api, world):
    from casehub import access
    from casehub.statistics import Filters

    scope = access.statistics_scope(world.office.head)
    for definition in statistics.tables():
        answer = get(api, world.office.head, f"/api/v1/statistics/{definition.name}/", year=YEAR)
        assert answer.status_code == 200, definition.name
        body = answer.json()
        expected = definition.build(scope, Filters(YEAR)).as_dict(Filters(YEAR))
        assert body == expected, definition.name
        assert body["filters"] == {"year": YEAR, "region": None}


def test_figures_as_numbers(api, world):
    body = get(api, world.office.head, "/api/v1/statistics/penalties_by_ip_type/", year=YEAR).json()
    assert [c["key"] for c in body["columns"]] == ["code", "label", "decisions", "fines", "confiscated"]
    assert body["rows"] == [["trademark", "商标", 2, 15000.0, 2000.0]]
    timeliness = get(api, world.office.head, "/api/v1/statistics/timeliness/", year=YEAR).json()
    assert timeliness["rows"][0][2:] == [4, 3, 1, 75.0]
    assert timeliness["chart"] == {"type": "bar", "x": "label", "series": ["rate"]}


def test_an_outsiders_cases_are_not_counted(api, world):
    body = get(api, world.office.head, "/api/v1/statistics/cases_by_region/", year=YEAR).json()
    assert [row[0] for row in body["rows"]] == ["420500", "420502"]  # no 421000
    assert sum(row[2] for row in body["rows"]) == 5
    mine = get(api, world.outsider.head, "/api/v1/statistics/cases_by_region/", year=YEAR).json()
    assert mine["rows"] == [["421000", "荆州市", 1]]


def test_a_region_filter(api, world):
    body = get(api, world.office.head, "/api/v1/statistics/cases_by_status/", year=YEAR, region="420502").json()
    assert {row[0]: row[2] for row in body["rows"]} == {"lead": 1, "investigating": 1}
    assert body["filters"] == {"year": YEAR, "region": "420502"}


@pytest.mark.parametrize("params, field", [
    ({"year": "20x5"}, "year"), ({"year": "1999"}, "year"), ({"year": "９９９９"}, "year"),
    ({"year": "3000"}, "year"), ({"region": "999999"}, "region"), ({"region": "x" * 300}, "region"),
])
def test_bad_filters_are_refused_at_their_field(api, world, params, field):
    answer = get(api, world.office.head, "/api/v1/statistics/cases_by_status/", **params)
    assert answer.status_code == 400
    assert list(answer.json()) == [field] and answer.json()[field]


def test_both_bad_filters_at_once(api, world):
    answer = get(api, world.office.head, "/api/v1/statistics/cases_by_status/", year="abc", region="nowhere")
    assert answer.status_code == 400 and set(answer.json()) == {"year", "region"}


def test_an_unknown_table_is_not_found(api, world):
    assert get(api, world.office.head, "/api/v1/statistics/nothing/").status_code == 404


def test_each_read_is_audited_once(api, world):
    before = AuditEntry.objects.count()
    get(api, world.office.head, "/api/v1/statistics/timeliness/", year=YEAR, region="420500")
    entries = list(AuditEntry.objects.filter(seq__gt=before).order_by("seq"))
    assert [(e.action, e.object_type, e.object_id, e.result) for e in entries] == [
        ("statistics.read", "statistics", "timeliness", "allowed")]
    assert entries[0].detail == {"filters": {"year": str(YEAR), "region": "420500"}}
    assert entries[0].user_id == world.office.head.pk and entries[0].agency_id == world.office.agency.pk
    get(api, world.office.officer, "/api/v1/statistics/timeliness/")
    get(api, world.office.head, "/api/v1/statistics/timeliness/", year="x")
    denied = list(AuditEntry.objects.filter(seq__gt=entries[0].seq).values_list("action", "result"))
    assert denied == [("statistics.read", "denied"), ("statistics.read", "denied")]
    # The index reads no figures: nothing to audit.
    count = AuditEntry.objects.count()
    get(api, world.office.head, "/api/v1/statistics/")
    assert AuditEntry.objects.count() == count


def test_a_case_keeps_its_filing_deadline_once_filed(db):
    from casehub.services import cases as service

    office = Office()
    case = make_case(office)
    assert case.filing_due_on is not None and case.filing_due_on == case.next_deadline_on
    due = case.filing_due_on
    service.apply_action(actor=office.head, case_id=case.pk, name="file", data={})
    case = Case.objects.get(pk=case.pk)
    assert case.filing_due_on == due
    assert case.next_deadline == "decision" and case.decision_due_on == case.next_deadline_on


def test_the_schema_documents_the_statistics(world):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    table = schema["paths"]["/api/v1/statistics/{name}/"]["get"]
    assert {"400", "404"} <= set(table["responses"])
    assert {p["name"] for p in table["parameters"]} >= {"year", "region", "name"}
    assert "/api/v1/statistics/" in schema["paths"]
