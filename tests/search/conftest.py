import pytest

from casehub.events import bus
from search import sync
from search.backends import _cache, get_backend


@pytest.fixture(params=["elastic", "database"])
def search_backend(request, settings, monkeypatch):
    """Each search test runs on both backends: Elasticsearch (osmem-server on
    loopback, started by its pytest plugin) and the database. The outbox
    registry is the test's own, holding only the search subscriber."""
    if request.param == "elastic":
        clone = request.getfixturevalue("osmem_clone")
        settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_PLAIN_JSON = clone.url, True
        settings.SEARCH_INDEX_ALIAS = "cases"
    else:
        settings.ELASTICSEARCH_URL = None
    monkeypatch.setattr(bus, "_outbox", {})
    monkeypatch.setattr(bus, "_in_transaction", [])
    _cache.clear()
    sync.register()
    yield get_backend()
    _cache.clear()
