"""/api/v1/search/cases/: one set of behavioural tests, run on both backends
(Elasticsearch through osmem on loopback, and the database)."""

import pytest

from casehub.events.worker import drain
from search.backends import _cache
from tests.factories import Office
from tests.search.two_offices import two_offices_indexed

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/v1/search/cases/"


@pytest.fixture
def es(search_backend):
    return "elastic" if hasattr(search_backend, "client") else "database"


@pytest.fixture
def offices(es):
    return two_offices_indexed()


def test_search_finds_only_visible_cases_in_hits_totals_and_facets(api, offices):
    mine, theirs = offices
    api.force_authenticate(mine.officer)
    body = api.get(URL, {"q": "商标"}).json()
    assert [h["title"] for h in body["results"]] == ["销售假冒注册商标的白酒案"]
    assert body["count"] == 1
    assert sum(b["count"] for b in body["facets"]["status"]) == 1
    assert "<em>" in str(body["results"][0]["highlights"])
    api.force_authenticate(theirs.officer)
    assert [h["title"] for h in api.get(URL, {"q": "商标"}).json()["results"]] == ["荆州假冒注册商标的茶叶案"]


def test_filters_and_exact_number(api, offices):
    mine, _ = offices
    api.force_authenticate(mine.officer)
    assert api.get(URL, {"ip_type": "design_patent"}).json()["count"] == 1
    assert api.get(URL, {"campaign": "铁拳"}).json()["count"] == 1
    number = api.get(URL, {"q": "title:白酒"}).json()["results"][0]["number"]
    assert [h["number"] for h in api.get(URL, {"q": f"number:{number}"}).json()["results"]] == [number]


def test_a_single_character_finds_the_words_that_contain_it(api, offices):
    """The cjk analyzer indexes bigrams; a one-character query (酒, 灯) still
    finds 白酒 and 灯具, in titles and in facts, and only visible cases."""
    mine, theirs = offices
    api.force_authenticate(mine.officer)
    assert [h["title"] for h in api.get(URL, {"q": "酒"}).json()["results"]] == ["销售假冒注册商标的白酒案"]
    assert [h["title"] for h in api.get(URL, {"q": "灯"}).json()["results"]] == ["侵犯外观设计专利权案"]
    assert api.get(URL, {"q": "茶"}).json()["count"] == 0  # 荆州's case: not mine
    api.force_authenticate(theirs.officer)
    assert api.get(URL, {"q": "茶"}).json()["count"] == 1


@pytest.mark.parametrize(
    "q,status",
    [('"假冒 商标', 200), ("商标\x00\x1b", 400), ("secret:x", 400), ("商" * 10000, 400), ("*:* OR (", 200)],
)
def test_bad_queries_are_400_or_sanitised_never_500(api, offices, q, status):
    mine, _ = offices
    api.force_authenticate(mine.officer)
    response = api.get(URL, {"q": q})
    assert response.status_code == status, response.content
    if status == 400:
        assert "q" in response.json()
    elif '"' in q:
        assert response.json()["sanitised"] is True


@pytest.mark.parametrize("params", [{"status": "bogus"}, {"page_size": 500}, {"page": 0}, {"year": "x"}])
def test_bad_filters_are_400(api, offices, params):
    mine, _ = offices
    api.force_authenticate(mine.officer)
    assert api.get(URL, params).status_code == 400


def test_server_down_is_503_not_500(api, es, settings):
    if es != "elastic":
        pytest.skip("the database backend has no separate server")
    office = Office()
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there
    _cache.clear()
    api.force_authenticate(office.officer)
    response = api.get(URL, {"q": "商标"})
    assert response.status_code == 503


def test_login_required(api, es):
    assert api.get(URL, {"q": "x"}).status_code == 401


def test_a_share_revoked_before_the_index_catches_up_is_not_shown(api, offices):
    """Defence in depth: the index still lists the other agency, but the
    page's hits are checked against the access module."""
    from django.db import transaction

    from casehub import access
    from casehub.events.bus import publish
    from casehub.models import Case
    from casehub.services.timeline import record_event
    from search.backends import get_backend

    mine, theirs = offices
    case = Case.objects.get(title="销售假冒注册商标的白酒案")
    with transaction.atomic():
        access.grant_case(case, theirs.agency)
        record_event(case, actor=mine.head, kind="shared", summary="共享")
        publish("case.shared", case_id=case.pk)
    drain()
    get_backend().refresh()
    api.force_authenticate(theirs.officer)
    assert case.pk in [h["id"] for h in api.get(URL, {"q": "稻花香"}).json()["results"]]
    access.revoke_case(case, theirs.agency)  # no event: the index lags
    assert case.pk not in [h["id"] for h in api.get(URL, {"q": "稻花香"}).json()["results"]]


def test_an_ended_participation_leaves_hits_totals_and_facets_before_the_index_catches_up(api, offices):
    from casehub.models import Case
    from casehub.services import participants
    from search.backends import get_backend

    mine, theirs = offices
    case = Case.objects.get(title="销售假冒注册商标的白酒案")
    item = participants.add(actor=mine.head, case=case, agency=theirs.agency, role="supporter")
    drain()
    get_backend().refresh()

    def seen_by(user):
        api.force_authenticate(user)
        body = api.get(URL, {"q": "title:白酒"}).json()
        counted = sum(b["count"] for b in body["facets"].get("status", []))
        return [h["id"] for h in body["results"]], body["count"], counted

    assert seen_by(theirs.officer) == ([case.pk], 1, 1)
    participants.end(actor=mine.head, case=case, participant_id=item.pk)  # not yet indexed
    assert seen_by(theirs.officer) == ([], 0, 0)
    assert seen_by(mine.officer)[1] >= 1  # the owner still finds it meanwhile
    drain()
    get_backend().refresh()
    assert seen_by(theirs.officer) == ([], 0, 0)


def test_times_are_shown_in_the_local_time_zone_as_elsewhere_in_the_api(api, offices):
    mine, _ = offices
    api.force_authenticate(mine.officer)
    hit = api.get(URL, {"q": "title:白酒"}).json()["results"][0]
    listed = api.get("/api/v1/cases/").json()["results"]
    assert hit["updated_at"] == next(c["updated_at"] for c in listed if c["id"] == hit["id"])
    assert hit["updated_at"].endswith("+08:00")
