"""Cases changed through the real services reach the index through the
outbox, and the index ends equal to the database (ids and versions)."""

import os
import signal

import pytest
from django.db import transaction
from django.utils import timezone

from casehub.events.worker import drain
from casehub.models import Case, OutboxMessage
from casehub.services import cases as service
from search.query_syntax import parse
from tests.factories import Office, make_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def es(search_backend):
    return search_backend


def index_equals_database(backend):
    backend.refresh()
    return backend.versions() == dict(Case.objects.values_list("id", "index_version"))


def test_changes_reach_the_index_with_their_versions(es):
    office = Office()
    cases = [make_case(office, title=f"销售假冒注册商标的白酒案{i}") for i in range(5)]
    service.add_note(actor=office.officer, case=cases[0], text="当事人承认从荆州进货")
    service.apply_action(actor=office.head, case_id=cases[1].pk, name="file", data={})
    assert OutboxMessage.objects.filter(subscriber="search", processed_at__isnull=True).exists()
    drain()
    assert index_equals_database(es)
    found = es.search(parse("荆州"), agencies=[office.agency.pk])
    assert [h["id"] for h in found["hits"]] == [cases[0].pk]


def test_a_rolled_back_change_never_reaches_the_index(es):
    office = Office()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_case(office, title="不会提交的案件")
        raise RuntimeError("rolled back")
    assert not OutboxMessage.objects.exists()


def test_search_server_down_then_back(es, request):
    """200 case changes (creations, notes, filings, edits) succeed while the
    server is down; the backlog drains on recovery to an index equal to the
    database."""
    if not hasattr(es, "client"):
        pytest.skip("the database backend has no separate server")
    osmem_clone = request.getfixturevalue("osmem_clone")
    office = Office()
    make_case(office)
    drain()
    pid = osmem_clone.server.process.pid  # pausing the process is the outage
    os.kill(pid, signal.SIGSTOP)
    try:
        es.client = es.client.options(request_timeout=1, max_retries=0)
        for i in range(50):  # every write succeeds
            case = make_case(office, title=f"服务中断期间的案件{i}")
            service.add_note(actor=office.officer, case=case, text=f"中断期间补充的备注{i}")
            service.apply_action(actor=office.head, case_id=case.pk, name="file", data={})
            case.refresh_from_db()
            service.update_case(actor=office.officer, case_id=case.pk, expected_version=case.version,
                                changes={"title": f"服务中断期间改名的案件{i}"})
        drain()
        assert OutboxMessage.objects.filter(subscriber="search", processed_at__isnull=True).count() >= 200
    finally:
        os.kill(pid, signal.SIGCONT)
    # Skip the backoff wait: the retries are due now.
    OutboxMessage.objects.update(available_at=timezone.now())
    drain()
    assert index_equals_database(es)
    assert len(es.search(parse("改名"), agencies=[office.agency.pk])["hits"]) > 0


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing in the worker catches it."""


def test_worker_killed_mid_batch_loses_nothing(es, monkeypatch):
    office = Office()
    for i in range(30):
        make_case(office, title=f"批处理中断测试案件{i}")
    real_index = type(es).index

    def die_halfway(self, documents, **kwargs):
        half = dict(list(documents.items())[: len(documents) // 2])
        real_index(self, half, **kwargs)  # part of the batch reached the index...
        raise WorkerKilled()  # ...then the process died before committing

    monkeypatch.setattr(type(es), "index", die_halfway)
    with pytest.raises(WorkerKilled):
        drain()
    # Nothing was marked processed: the batch's transaction never committed.
    assert OutboxMessage.objects.filter(subscriber="search", processed_at__isnull=True).count() >= 30
    monkeypatch.setattr(type(es), "index", real_index)
    drain()
    assert index_equals_database(es)
