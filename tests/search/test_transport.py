"""The client against a real osmem-server process on loopback."""

import pytest
from elasticsearch import ApiError

from search.transport import PlainJsonNode, make_client


@pytest.fixture
def server(osmem_clone):
    return osmem_clone.url


def test_plain_json_node_talks_to_osmem(server):
    client = make_client(server, plain_json=True)
    client.indices.create(index="probe", mappings={"properties": {"title": {"type": "text"}}})
    client.index(index="probe", id="1", document={"title": "假冒注册商标"}, refresh=True)
    hits = client.search(index="probe", query={"match": {"title": "商标"}})["hits"]["hits"]
    assert [h["_id"] for h in hits] == ["1"]


def test_default_media_type_is_refused_by_osmem(server):
    """Why the setting exists: any request with a body gets 406 from osmem."""
    client = make_client(server, plain_json=False)
    with pytest.raises(ApiError) as refused:
        client.index(index="probe2", id="1", document={"title": "x"})
    assert refused.value.status_code == 406


def test_setting_selects_the_node(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.ELASTICSEARCH_PLAIN_JSON = True
    assert isinstance(next(iter(make_client().transport.node_pool.all())), PlainJsonNode)
    settings.ELASTICSEARCH_PLAIN_JSON = False
    assert not isinstance(next(iter(make_client().transport.node_pool.all())), PlainJsonNode)


def test_bulk_with_ndjson_and_external_versions(server):
    """The indexer's path: bulk (ndjson) with external versions, where an
    older version never overwrites a newer one."""
    from elasticsearch import helpers

    client = make_client(server, plain_json=True)
    client.indices.create(index="cases-v1", mappings={"properties": {"title": {"type": "text", "analyzer": "cjk"}}})
    actions = [{"_index": "cases-v1", "_id": str(i), "_version": 5, "_version_type": "external",
                "_source": {"title": f"假冒注册商标案{i}"}} for i in range(3)]
    assert helpers.bulk(client, actions, refresh=True)[0] == 3
    stale = [{"_index": "cases-v1", "_id": "0", "_version": 4, "_version_type": "external", "_source": {"title": "旧"}}]
    ok, errors = helpers.bulk(client, stale, raise_on_error=False, refresh=True)
    assert ok == 0 and errors[0]["index"]["status"] == 409
    hits = client.search(index="cases-v1", query={"match": {"title": "商标"}})["hits"]["total"]["value"]
    assert hits == 3


@pytest.mark.parametrize(
    "given,expected",
    [("application/vnd.elasticsearch+json; compatible-with=8", "application/json"),
     ("application/vnd.elasticsearch+x-ndjson; compatible-with=8", "application/x-ndjson"),
     ("application/json", "application/json")],
)
def test_plain_media_types(given, expected):
    from search.transport import plain_media_type

    assert plain_media_type(given) == expected
