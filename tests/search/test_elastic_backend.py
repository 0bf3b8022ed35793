"""The Elasticsearch backend against osmem-server: Chinese words, phrases,
exact codes, permission inside the query (hits, totals, facets), external
versions, and the alias swap of a reindex."""

import pytest

from search.backends.elastic import ElasticBackend
from search.query_syntax import parse
from search.transport import make_client

OWN, OTHER = 1, 2


def doc(i, title, *, visible=(OWN,), version=1, **extra):
    return {"id": i, "number": f"宜市监知立〔2026〕{i}号", "title": title, "facts": "", "party_names": [],
            "credit_codes": [], "decision": "", "notes": [], "file_names": [], "visible_to": list(visible),
            "agency": visible[0], "agency_name": "局", "status": "filed", "ip_type": "trademark",
            "kind": "administrative_penalty", "region": "420500", "regions": ["420500", "420000"], "year": 2026,
            "lead_received_on": "2026-05-01", "filed_on": None, "decision_date": None,
            "updated_at": f"2026-05-0{i}T00:00:00+08:00", "amount": 1.0, "campaign": None, "version": version,
            **extra}


@pytest.fixture
def backend(osmem_clone, settings):
    settings.SEARCH_INDEX_ALIAS = "cases"
    b = ElasticBackend(make_client(osmem_clone.url, plain_json=True))
    b.ensure_index()
    b.index({
        1: doc(1, "销售假冒注册商标的白酒案", party_names=["宜昌稻香酒业有限公司"], credit_codes=["91350100M000100Y43"]),
        2: doc(2, "侵犯外观设计专利权案", status="closed"),
        3: doc(3, "荆州某公司假冒专利标识案", visible=(OTHER,)),
        4: doc(4, "网络销售盗版图书案", visible=(OTHER, OWN), ip_type="copyright"),
    }, refresh=True)
    return b


def ids(result):
    return sorted(h["id"] for h in result["hits"])


def test_two_character_words_find_their_cases(backend):
    assert ids(backend.search(parse("商标"), agencies=[OWN])) == [1]
    assert ids(backend.search(parse("专利"), agencies=[OWN])) == [2]
    assert ids(backend.search(parse("假冒"), agencies=[OWN])) == [1]


def test_permission_applies_to_hits_totals_and_facets(backend):
    everything = backend.search(parse(""), agencies=[OWN])
    assert ids(everything) == [1, 2, 4] and everything["total"] == 3
    assert sum(b["count"] for b in everything["facets"]["status"]) == 3
    other = backend.search(parse("专利"), agencies=[OTHER])
    assert ids(other) == [3] and other["total"] == 1


def test_exact_number_and_credit_code(backend):
    assert ids(backend.search(parse("宜市监知立〔2026〕2号"), agencies=[OWN])) == [2]
    assert ids(backend.search(parse("code:91350100M000100Y43"), agencies=[OWN])) == [1]


def test_phrase_or_not_and_filters(backend):
    assert ids(backend.search(parse('"注册商标"'), agencies=[OWN])) == [1]
    assert ids(backend.search(parse("白酒 OR 图书"), agencies=[OWN])) == [1, 4]
    assert ids(backend.search(parse("销售 -白酒"), agencies=[OWN])) == [4]
    assert ids(backend.search(parse("销售 NOT 图书"), agencies=[OWN])) == [1]
    assert ids(backend.search(parse(""), agencies=[OWN], filters={"ip_type": ["copyright"]})) == [4]
    assert ids(backend.search(parse(""), agencies=[OWN], filters={"region": "420000"})) == [1, 2, 4]


def test_highlights(backend):
    hit = backend.search(parse("白酒"), agencies=[OWN])["hits"][0]
    assert "<em>" in " ".join(hit["highlights"]["title"])


def test_older_version_never_overwrites_newer(backend):
    assert backend.index({1: doc(1, "新标题", version=5)}, refresh=True) == set()
    assert backend.index({1: doc(1, "旧标题", version=3)}, refresh=True) == set()  # stale: not a failure
    assert ids(backend.search(parse("新标题"), agencies=[OWN])) == [1]
    assert backend.versions()[1] == 5


def test_reindex_swaps_the_alias(backend):
    fresh = backend.create_index()
    backend.index({9: doc(9, "重建索引后的案件")}, target=fresh, refresh=True)
    old = backend.swap_alias(fresh)
    assert len(old) == 1
    assert ids(backend.search(parse(""), agencies=[OWN])) == [9]
