"""Every case search is audited once, through the real URL router: the
query, its filters and page and how many cases matched — never the hits —
and an invalid search as refused, with its reasons."""

import pytest

from casehub.events import bus
from casehub.events.worker import drain
from search import sync
from search.backends import _cache, get_backend
from tests.factories import AgencyFactory, Office, make_case, member, jingzhou_office

from .trail import Trail

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/api/v1/search/cases/"


@pytest.fixture
def offices(settings, monkeypatch):
    # The database backend, fed by this test's own outbox registry.
    settings.ELASTICSEARCH_URL = None
    monkeypatch.setattr(bus, "_outbox", {})
    monkeypatch.setattr(bus, "_in_transaction", [])
    _cache.clear()
    sync.register()
    mine = Office()
    theirs = jingzhou_office()
    make_case(mine, title="销售假冒注册商标的白酒案", campaign="铁拳")
    make_case(mine, title="侵犯外观设计专利权案", ip_type="design_patent")
    make_case(theirs, title="荆州假冒注册商标的茶叶案")
    drain()
    get_backend().refresh()
    yield mine, theirs
    _cache.clear()


def test_a_search_is_audited_with_its_query_filters_and_count_not_its_hits(api, offices):
    mine, _ = offices
    api.force_authenticate(mine.officer)
    trail = Trail()
    response = api.get(URL, {"q": "商标", "status": ["lead"], "ip_type": "trademark", "page_size": 5},
                       REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 200 and response.json()["count"] == 1
    entry = trail.allowed("search.cases")
    assert (entry.user, entry.agency_id, entry.ip_address, entry.object_type) == (
        mine.officer, mine.agency.pk, "10.2.2.2", "search")
    assert entry.detail == {"params": {"q": "商标", "sort": "relevance", "page": 1, "page_size": 5,
                                       "status": ["lead"], "ip_type": ["trademark"]}, "count": 1}
    hit = response.json()["results"][0]
    assert hit["title"] not in str(entry.detail) and hit["number"] not in str(entry.detail)


@pytest.mark.parametrize("params,field", [
    ({"status": "bogus"}, "status"), ({"page_size": 500}, "page_size"), ({"q": "secret:x"}, "q"),
    ({"year": "x"}, "year"),
])
def test_an_invalid_search_is_denied_once_with_what_was_asked(api, offices, params, field):
    mine, _ = offices
    api.force_authenticate(mine.officer)
    trail = Trail()
    response = api.get(URL, params)
    assert response.status_code == 400 and field in response.json()
    entry = trail.denied("search.cases")
    assert entry.detail["refusal"] == "invalid" and field in entry.detail["reasons"]
    assert entry.detail["params"] == {k: str(v) for k, v in params.items()}


def test_a_list_filter_keeps_its_error_shape(api, offices):
    mine, _ = offices
    api.force_authenticate(mine.officer)
    response = api.get(URL, {"agency": ["1", "x"]})
    assert response.status_code == 400
    assert list(response.json()) == ["agency"] and list(response.json()["agency"]) == ["1"]  # DRF's own shape


def test_control_characters_in_a_query_are_refused_and_never_kept(api, offices):
    mine, _ = offices
    api.force_authenticate(mine.officer)
    trail = Trail()
    response = api.get(URL, {"q": "商标\x00\x1b"})
    # A 400 naming the parameter before any view (casehub/request_limits.py).
    assert response.status_code == 400 and list(response.json()) == ["q"]
    assert trail.entries() == []


def test_a_search_by_someone_in_no_agency_is_audited_too(api, offices):
    outsider = member(AgencyFactory(code="X-9"))
    outsider.memberships.update(agency=AgencyFactory(code="X-10", active=False))
    api.force_authenticate(outsider)
    trail = Trail()
    assert api.get(URL, {"q": "商标"}).json()["count"] == 0
    assert trail.allowed("search.cases").detail["count"] == 0
