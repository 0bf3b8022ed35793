"""The Elasticsearch backend (osmem-server in tests).

The index sits behind an alias; a reindex builds a new index and swaps the
alias in one atomic call. Documents carry the case's index_version as an
external version, so an older document never overwrites a newer one (a
409 from the server means "already newer" and counts as done).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from elasticsearch import helpers

from ..query_syntax import EXACT_FIELDS, FIELD_GROUPS, ParsedQuery, Term
from ..transport import make_client

TEXT_FIELDS = ["title^3", "party_names^2", "number^2", "facts", "decision", "notes", "file_names", "file_text"]
# Each Chinese text field also keeps single characters (the standard
# analyzer splits CJK text into them), so a one-character query finds the
# words that contain it, which bigrams and word segmenters cannot.
CHAR_FIELDS = ["title.chars^3", "party_names.chars^2", "facts.chars", "decision.chars", "notes.chars",
               "file_names.chars", "file_text.chars"]
HIGHLIGHT_FIELDS = ("title", "facts", "party_names", "decision", "notes", "file_names", "file_text")
FACETS = {"status": "status", "ip_type": "ip_type", "kind": "kind", "agency": "agency", "region": "region",
          "year": "year"}


def alias() -> str:
    return getattr(settings, "SEARCH_INDEX_ALIAS", "casehub-cases")


def mapping() -> dict:
    # The built-in cjk analyzer needs no plugin (bigrams: 商标, 专利, 假冒 match);
    # production sets SEARCH_CHINESE_ANALYZER to smartcn or ik_max_word.
    analyzer = getattr(settings, "SEARCH_CHINESE_ANALYZER", "cjk")
    text = {"type": "text", "analyzer": analyzer, "fields": {"chars": {"type": "text", "analyzer": "standard"}}}
    keyword = {"type": "keyword"}
    return {
        "dynamic": "strict",
        "properties": {
            "id": {"type": "long"},
            "number": {"type": "keyword", "fields": {"text": {"type": "text", "analyzer": analyzer}}},
            "title": text, "facts": text, "party_names": text, "credit_codes": keyword, "decision": text,
            "notes": text, "file_names": text, "file_text": text, "visible_to": {"type": "integer"},
            "agency": {"type": "integer"}, "agency_name": keyword, "status": keyword, "ip_type": keyword,
            "kind": keyword, "region": keyword, "regions": keyword, "year": {"type": "integer"},
            "lead_received_on": {"type": "date"}, "filed_on": {"type": "date"}, "decision_date": {"type": "date"},
            "updated_at": {"type": "date"}, "amount": {"type": "double"}, "campaign": keyword,
            "version": {"type": "long"},
        },
    }


class ElasticBackend:
    live = False  # documents may lag the database

    def __init__(self, client=None):
        self.client = client or make_client()
        self._checked_alias: str | None = None  # whose mapping was brought up to date

    # --- the index ---------------------------------------------------------
    def create_index(self) -> str:
        name = f"{alias()}-{datetime.now().strftime('%Y%m%d%H%M%S%f')}"
        self.client.indices.create(index=name, mappings=mapping(), settings={"number_of_shards": 1})
        return name

    def ensure_index(self) -> None:
        if not self.client.indices.exists_alias(name=alias()):
            name = self.create_index()
            self.client.indices.put_alias(index=name, name=alias())
        elif self._checked_alias != alias():
            self.add_missing_fields()
        self._checked_alias = alias()

    def add_missing_fields(self) -> None:
        """An index made before a field existed (file_text) gains it in place,
        so the strict mapping does not refuse the new documents; only missing
        fields are sent, never a change to an existing one (a new analyzer
        needs search_reindex)."""
        wanted = mapping()["properties"]
        for index, body in self.client.indices.get_mapping(index=alias()).body.items():
            have = body.get("mappings", {}).get("properties", {})
            missing = {name: spec for name, spec in wanted.items() if name not in have}
            if missing:
                self.client.indices.put_mapping(index=index, properties=missing)

    def swap_alias(self, new_index: str) -> list[str]:
        """Point the alias at `new_index` in one call; return the old indices."""
        old = list(self.client.indices.get_alias(name=alias()).body) if self.client.indices.exists_alias(
            name=alias()) else []
        actions = [{"remove": {"index": o, "alias": alias()}} for o in old] + [
            {"add": {"index": new_index, "alias": alias()}}]
        self.client.indices.update_aliases(actions=actions)
        return old

    def index(self, documents: dict[int, dict | None], *, target: str | None = None, refresh=False) -> set[int]:
        """Write documents (None: remove). Returns the ids that failed and must
        be retried; version conflicts are not failures (the index is newer)."""
        target = target or alias()
        actions = []
        for case_id, doc in documents.items():
            if doc is None:
                actions.append({"_op_type": "delete", "_index": target, "_id": str(case_id)})
            else:
                actions.append({"_index": target, "_id": str(case_id), "_version": doc["version"],
                                "_version_type": "external", "_source": doc})
        if not actions:
            return set()
        _, errors = helpers.bulk(self.client, actions, raise_on_error=False, raise_on_exception=False,
                                 refresh=refresh)
        failed = set()
        for error in errors:
            (op, detail), = error.items()
            if detail.get("status") in (409,) or (op == "delete" and detail.get("status") == 404):
                continue
            failed.add(int(detail["_id"]))
        return failed

    def refresh(self) -> None:
        self.client.indices.refresh(index=alias())

    def versions(self) -> dict[int, int]:
        """id -> version of every indexed case (for drift checks)."""
        found = {}
        for hit in helpers.scan(self.client, index=alias(), query={"query": {"match_all": {}}},
                                _source=["version"], size=1000):
            found[int(hit["_id"])] = hit["_source"]["version"]
        return found

    # --- searching -----------------------------------------------------------
    def search(self, query: ParsedQuery, *, agencies: list[int], filters: dict | None = None,
               sort: str = "relevance", offset: int = 0, size: int = 20, exclude: frozenset[int] = frozenset()) -> dict:
        # A hung server must not hold the request: the search is a 503 soon.
        client = self.client.options(request_timeout=getattr(settings, "SEARCH_QUERY_TIMEOUT_SECONDS", 5),
                                     max_retries=0)
        response = client.search(**search_request(query, agencies=agencies, filters=filters or {}, sort=sort,
                                                       offset=offset, size=size, exclude=exclude))
        hits = response["hits"]
        return {
            "total": hits["total"]["value"],
            "hits": [{**h["_source"], "score": h.get("_score"), "highlights": h.get("highlight", {})}
                     for h in hits["hits"]],
            "facets": {name: [{"key": b["key"], "count": b["doc_count"]} for b in agg["buckets"]]
                       for name, agg in response.get("aggregations", {}).items()},
        }


def search_request(query: ParsedQuery, *, agencies: list[int], filters: dict, sort: str, offset: int,
                   size: int, exclude: frozenset[int] = frozenset()) -> dict:
    """The whole search request: query, page, sort, facets, highlights."""
    order = [{"_score": "desc"}, {"id": "desc"}] if sort == "relevance" and not query.empty else [
        {"updated_at": "desc"}, {"id": "desc"}]
    return dict(
        index=alias(), query=compile_query(query, agencies=agencies, filters=filters, exclude=exclude), from_=offset,
        size=size,
        sort=order, track_total_hits=True,
        aggs={name: {"terms": {"field": field, "size": 50}} for name, field in FACETS.items()},
        # Escaped text around the tags, as the database backend gives it.
        highlight={"fields": {f: {} for f in HIGHLIGHT_FIELDS}, "encoder": "html",
                   "pre_tags": ["<em>"], "post_tags": ["</em>"], "number_of_fragments": 2, "fragment_size": 80},
        _source=["id", "number", "title", "status", "ip_type", "kind", "agency", "agency_name", "region",
                 "lead_received_on", "updated_at", "campaign"],
    )


def _term_query(term: Term) -> dict:
    if term.field in EXACT_FIELDS:
        return {"term": {term.field: term.text}}
    group = FIELD_GROUPS.get(term.field)
    if len(term.text) == 1:
        fields = [f"{f}.chars" for f in group or [term.field]] if term.field else CHAR_FIELDS
        return {"multi_match": {"query": term.text, "fields": fields}}
    if group:
        return {"multi_match": {"query": term.text, "fields": list(group), **(
            {"type": "phrase"} if term.phrase else {"operator": "and"})}}
    if term.field:
        return {"match_phrase" if term.phrase else "match": {term.field: {"query": term.text, **(
            {} if term.phrase else {"operator": "and"})}}}
    if term.phrase:
        return {"multi_match": {"query": term.text, "type": "phrase", "fields": TEXT_FIELDS}}
    # A bare code or number also matches exactly.
    return {"bool": {"should": [
        {"multi_match": {"query": term.text, "fields": TEXT_FIELDS, "operator": "and"}},
        {"term": {"number": term.text}}, {"term": {"credit_codes": term.text.upper()}},
    ], "minimum_should_match": 1}}


def compile_query(query: ParsedQuery, *, agencies: list[int], filters: dict,
                  exclude: frozenset[int] = frozenset()) -> dict:
    """The engine query for a parsed search: user text only ever becomes the
    `query` of match/term clauses, never query_string syntax."""
    must = []
    for group in query.groups:
        clauses = [_term_query(t) for t in group]
        must.append(clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses, "minimum_should_match": 1}})
    # Permission first: a case the searcher may not see is not a hit, a total or a facet count.
    filter_ = [{"terms": {"visible_to": sorted(agencies)}}]
    for name in ("status", "ip_type", "kind", "campaign"):
        if filters.get(name):
            filter_.append({"terms": {name: list(filters[name])}})
    if filters.get("agency"):
        filter_.append({"terms": {"agency": list(filters["agency"])}})
    if filters.get("region"):
        filter_.append({"term": {"regions": filters["region"]}})
    if filters.get("year"):
        filter_.append({"terms": {"year": list(filters["year"])}})
    must_not = [_term_query(t) for t in query.excluded]
    if exclude:
        # Cases whose documents still name an agency that has lost them.
        must_not.append({"terms": {"id": sorted(exclude)}})
    return {"bool": {"must": must or [{"match_all": {}}], "filter": filter_, "must_not": must_not}}
