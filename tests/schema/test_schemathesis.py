"""schemathesis against /api/schema/: every operation, bounded and
reproducible, as an officer with a token, on a database with data in it.
0 server errors, 0 responses that break their documented schema, status
code or content type."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
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

MAX_EXAMPLES = 15


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


@pytest.fixture
def officer_headers(db):
    world = seed()
    return {"Authorization": f"Bearer {token_for(world.officer)}"}


@schema.parametrize()
@hypothesis_settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
                     phases=[Phase.explicit, Phase.generate],
                     suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_schema(case, officer_headers):
    case.call_and_validate(headers=officer_headers, checks=[
        not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance])
