"""Two people change one case at the same moment: one wins, the other gets
409, and the case is never a mix of both."""

import threading

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from casehub.models import Case
from tests.factories import Office, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def race(requests):
    """Send the requests from threads released together; return statuses."""
    barrier, results = threading.Barrier(len(requests)), [None] * len(requests)

    def run(i, user, method, path, payload):
        client = APIClient()
        client.force_authenticate(type(user).objects.get(pk=user.pk))
        try:
            barrier.wait()
            results[i] = getattr(client, method)(path, payload, format="json").status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, *r)) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def office():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises whole transactions)")
    return Office()


def test_concurrent_edits_one_wins_one_409(office):
    case = make_case(office)
    path = f"/api/v1/cases/{case.pk}/"
    statuses = race([
        (office.officer, "patch", path, {"title": "甲的标题", "facts": "甲的案情", "version": case.version}),
        (office.officer2, "patch", path, {"title": "乙的标题", "facts": "乙的案情", "version": case.version}),
    ])
    assert sorted(statuses) == [200, 409]
    case.refresh_from_db()
    assert (case.title, case.facts) in {("甲的标题", "甲的案情"), ("乙的标题", "乙的案情")}
    assert case.version == 2
    assert case.timeline.filter(kind="edited").count() == 1


def test_concurrent_transitions_never_apply_twice(office):
    case = make_case(office)
    path = f"/api/v1/cases/{case.pk}/transitions/"
    statuses = race([
        (office.head, "post", path, {"action": "file"}),
        (office.head, "post", path, {"action": "refuse_filing", "reason": "不属于管辖范围"}),
    ])
    assert sorted(statuses) == [200, 409]
    case = Case.objects.get(pk=case.pk)
    assert case.status in {"filed", "not_filed"}
    assert case.timeline.filter(kind__in=["filed", "not_filed"]).count() == 1
