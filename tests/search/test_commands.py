import pytest
from django.core.management import call_command

from casehub.events.worker import drain
from casehub.models import Case
from search.drift import measure
from tests.factories import Office, make_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backend(search_backend):
    return search_backend


def test_status_shows_backlog_then_in_step(backend, capsys):
    office = Office()
    for _ in range(3):
        make_case(office)
    call_command("search_status")
    out = capsys.readouterr().out
    assert "outbox backlog: 3" in out and "index drifts" in out
    drain()
    call_command("search_status")
    assert "index in step with the database" in capsys.readouterr().out


def test_reindex_rebuilds_a_lost_index(backend, capsys):
    office = Office()
    cases = [make_case(office) for _ in range(4)]
    drain()
    # The index is lost (a restarted osmem is empty; a wiped table likewise).
    if hasattr(backend, "client"):
        backend.client.indices.delete(index="cases*")
        backend.ensure_index()
    else:
        from search.models import SearchEntry

        SearchEntry.objects.all().delete()
    assert set(measure(backend).missing) == {c.pk for c in cases}
    call_command("search_reindex", "--batch", "3")
    assert "reindexed 4 cases" in capsys.readouterr().out
    assert measure(backend).in_step
    assert Case.objects.count() == 4
