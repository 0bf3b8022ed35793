"""Issue 5, in one run, on the 100,000 bench cases:
(a) indexing them all through the outbox (the worker's real path: rows for
    the `search` subscriber, documents built from the database, bulk
    writes) against raw `helpers.bulk` of the same documents, built
    beforehand and not timed: throughput ratio >= 0.7;
(b) the search API against the same request sent straight to the server:
    p50 ratio <= 1.5;
(c) commit-to-searchable: a case edited and committed, the worker running,
    until a search finds it: p50 and p95.
The server is ELASTICSEARCH_URL if set, otherwise osmem-server on loopback."""

import logging
import os
import threading
import time

from .common import Verdicts, ms, p, timed

ALIAS = "bench-cases"

logging.getLogger("elastic_transport").setLevel(logging.WARNING)


def _server():
    from django.conf import settings

    if os.environ.get("ELASTICSEARCH_URL"):
        settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
        return None
    from osmem_server import OsmemServer

    server = OsmemServer.start(japanese=False)
    settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_PLAIN_JSON = server.url, True
    return server


def _fresh_index(backend) -> str:
    name = backend.create_index()
    backend.swap_alias(name)
    return name


def _index_through_outbox(backend, ids) -> float:
    from casehub.events.bus import subscribers
    from casehub.events.worker import drain_subscriber
    from casehub.models import OutboxMessage
    from search.sync import SUBSCRIBER

    OutboxMessage.objects.filter(subscriber=SUBSCRIBER, processed_at__isnull=True).delete()
    # What 100,000 committed changes leave behind: one row each.
    OutboxMessage.objects.bulk_create(
        [OutboxMessage(subscriber=SUBSCRIBER, event_type="case.updated", payload={"case_id": i}) for i in ids],
        batch_size=5000)
    subscriber = subscribers()[SUBSCRIBER]
    pending = OutboxMessage.objects.filter(subscriber=SUBSCRIBER, processed_at__isnull=True, failed_at__isnull=True)
    start = time.perf_counter()
    # Until every row is done: a batch that failed (a timeout) waits for its
    # retry, and that wait counts.
    while True:
        if not drain_subscriber(subscriber):
            if not pending.exists():
                break
            time.sleep(0.05)
    elapsed = time.perf_counter() - start
    given_up = OutboxMessage.objects.filter(subscriber=SUBSCRIBER, failed_at__isnull=False).count()
    if given_up:
        print(f"  {given_up} outbox rows given up")
    OutboxMessage.objects.filter(subscriber=SUBSCRIBER).delete()
    return elapsed


def _index_raw(backend, documents) -> float:
    from elasticsearch import helpers

    target = backend.create_index()
    actions = [{"_index": target, "_id": str(i), "_version": d["version"], "_version_type": "external", "_source": d}
               for i, d in documents.items()]
    start = time.perf_counter()
    helpers.bulk(backend.client, actions, chunk_size=500)
    elapsed = time.perf_counter() - start
    backend.client.indices.delete(index=target)
    return elapsed


def run(verdicts: Verdicts, runs: int = 200, count: int | None = None) -> None:
    from django.conf import settings
    from django.test import Client

    from agencies.models import User
    from casehub import access
    from casehub.models import Case
    from search.backends import _cache, get_backend
    from search.backends.elastic import search_request
    from search.documents import build
    from search.query_syntax import parse

    from .cases_list import TOTAL, seed

    seed(TOTAL)
    server = _server()
    settings.SEARCH_INDEX_ALIAS = ALIAS
    _cache.clear()
    try:
        backend = get_backend()
        ids = list(Case.objects.order_by("pk").values_list("pk", flat=True)[:count])
        print(f"\n[search] {len(ids):,} cases; server {settings.ELASTICSEARCH_URL}")
        old = _fresh_index(backend)
        documents = {}
        started = time.perf_counter()
        for start in range(0, len(ids), 2000):
            documents.update(build(ids[start:start + 2000]))
        print(f"  documents built in {time.perf_counter() - started:.1f} s (not part of the raw time)")
        raw = _index_raw(backend, documents)
        outbox = _index_through_outbox(backend, ids)
        print(f"  raw helpers.bulk {len(ids) / raw:,.0f} docs/s ({raw:.1f} s)   "
              f"through the outbox {len(ids) / outbox:,.0f} docs/s ({outbox:.1f} s)")
        verdicts.check("(search a) outbox indexing throughput / raw bulk", raw / outbox, ">= 0.7", raw / outbox >= 0.7)
        backend.refresh()
        del documents, old

        officer = User.objects.get(username="bench-420500-scjg")
        client = Client(HTTP_HOST="localhost")
        client.force_login(officer)
        params = {"q": "商标", "status": "investigating"}
        first = client.get("/api/v1/search/cases/", params, HTTP_ACCEPT="application/json")
        assert first.status_code == 200, first.content[:300]
        request = search_request(parse("商标"), agencies=sorted(access.agency_ids(officer)),
                                 filters={"status": ["investigating"]}, sort="relevance", offset=0, size=20)
        assert backend.client.search(**request)["hits"]["total"]["value"] == first.json()["count"]
        api = timed(lambda: client.get("/api/v1/search/cases/", params, HTTP_ACCEPT="application/json"), runs=runs)
        direct = timed(lambda: backend.client.search(**request), runs=runs)
        print(f"  {first.json()['count']:,} hits; API p50 {ms(p(api, .5))}  p95 {ms(p(api, .95))}   "
              f"server p50 {ms(p(direct, .5))}  p95 {ms(p(direct, .95))}")
        verdicts.check("(search b) search API p50 / same request to the server p50", p(api, .5) / p(direct, .5),
                       "<= 1.5", p(api, .5) / p(direct, .5) <= 1.5)

        samples = _commit_to_searchable(backend, officer, samples=100)
        print(f"  commit to searchable: p50 {ms(p(samples, .5))}  p95 {ms(p(samples, .95))}  "
              f"max {ms(max(samples))} ({len(samples)} edits, the worker running)")
    finally:
        _cache.clear()
        if server:
            server.close()


def _commit_to_searchable(backend, officer, samples: int) -> list[float]:
    from django.db import close_old_connections

    from casehub import access
    from casehub.events.worker import drain, wait_for_work
    from casehub.models import Case
    from casehub.services.cases import update_case
    from search.query_syntax import parse

    stop = threading.Event()

    def worker():
        while not stop.is_set():
            drain()
            wait_for_work(0.05)
        close_old_connections()

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    agencies = sorted(access.agency_ids(officer))
    case = Case.objects.filter(owning_agency_id__in=agencies).order_by("-pk").first()
    results = []
    try:
        for i in range(samples):
            word = f"基准标记{i:03d}"
            case.refresh_from_db()
            update_case(actor=officer, case_id=case.pk, expected_version=case.version, changes={"title": word})
            committed = time.perf_counter()
            deadline = committed + 30
            while time.perf_counter() < deadline:
                if backend.search(parse(f'"{word}"'), agencies=agencies, size=1)["total"]:
                    break
                time.sleep(0.002)
            results.append(time.perf_counter() - committed)
    finally:
        stop.set()
        thread.join(5)
    return results
