"""schemathesis against /api/schema/: every operation, bounded and
reproducible, as an officer with a token, on a database with data in it.
0 server errors, 0 responses that break their documented schema, status
code or content type."""

import json
import signal

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import token_for

from .seed import seed

MAX_EXAMPLES = 15  # generated cases per operation, besides the coverage phase's boundary values
SECONDS_PER_OPERATION = 60


def _document() -> dict:
    """/api/schema/ as the server renders it (no request or database needed)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


# The coverage phase's boundary values, then generated cases; no probing of
# methods an operation does not have (a 405 for those is Django's business,
# not an operation's).
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"unexpected-methods": []}}})
schema = schemathesis.openapi.from_dict(_document(), config=CONFIG)
schema.app = WSGIHandler()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # In process, like Django's test client: a request must not close the
    # test's database connection (its transaction holds the seeded data).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, seeded once for the module inside a transaction rolled back
    at its end; each operation's test runs in a savepoint within it."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = seed()
            yield world, token_for(world.officer)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(seeded, db):
    return seeded[0]


@pytest.fixture
def officer_token(seeded, db):
    return seeded[1]


class OutOfTime(Exception):
    pass


@pytest.fixture
def time_cap():
    """An operation that takes longer than SECONDS_PER_OPERATION fails
    rather than holding the suite."""

    def expire(signum, frame):
        raise OutOfTime(f"more than {SECONDS_PER_OPERATION} s for one operation")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_OPERATION)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def _chosen(value) -> bool:
    """Deterministically, most generated values: a non-negative number, a
    string of digits or of even length; negative numbers, odd strings, nulls and other
    types stay as generated."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 0
    if isinstance(value, str):
        return value.isdigit() or len(value) % 2 == 0
    return False


def real_ids(case, world) -> None:
    """Most generated ids and references become objects of the world, of
    the route's kind in the path and of the field's kind in a JSON body, so
    that the answers checked include real records and successful writes,
    not only 404s and 400s; the rest stay as generated (-1, 0.5, "null,null")."""
    resource = case.operation.path.split("/")[3]  # /api/v1/<resource>/…
    for name, value in list((case.path_parameters or {}).items()):
        key = {"participant_id": "participant_id", "credit_code": "credit_code", "code": "regions"}.get(name, resource)
        known = world.ids.get(key)
        if known is not None and _chosen(value):
            case.path_parameters[name] = known
    if isinstance(case.body, dict):
        for name, known in world.references.items():
            if name in case.body and _chosen(case.body[name]):
                case.body[name] = known


@schema.parametrize()
@hypothesis_settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
                     phases=[Phase.explicit, Phase.generate],
                     suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_schema(case, world, officer_token, time_cap):
    real_ids(case, world)
    case.call_and_validate(headers={"Authorization": f"Bearer {officer_token}"}, checks=[
        not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance])
