"""The OpenAPI schema tells the truth: every disclosure and credit response
validates against the schema of its operation, with no field undeclared."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator

from disclosure import services
from disclosure.models import DisclosureRecord
from tests.factories import VALID_CREDIT_CODE, AgencyFactory, Office, member

from .helpers import decided_case, publish_pending

pytestmark = pytest.mark.django_db


def strict(node):
    """OpenAPI 3.0 to JSON Schema: `nullable` becomes a null alternative,
    and an object accepts only the properties it declares."""
    if isinstance(node, list):
        return [strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: strict(value) for key, value in node.items()}
    if node.get("type") == "object" and "properties" in node:
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False):
        node = {"anyOf": [node, {"type": "null"}]}
    return node


@pytest.fixture(scope="module")
def schema():
    return strict(SchemaGenerator().get_schema(request=None, public=True))


def check(schema, path: str, response, *, method="get", status=200):
    assert response.status_code == status, response.content
    operation = schema["paths"][path][method]
    body = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**body, "components": schema["components"]})
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(response.json())]
    assert not errors, errors


def test_every_response_matches_the_schema(api, schema):
    office = Office()
    case = decided_case(office)
    company, person = DisclosureRecord.objects.filter(case=case).order_by("party_kind")
    for record in (company, person):
        services.approve(actor=office.head, record_id=record.pk)
    services.correct(actor=office.head, record_id=company.pk, changes={"fine_amount": "90000.00"}, note="复议变更")
    services.correct(actor=office.head, record_id=person.pk, changes={}, note="撤销", revoked=True)
    for i in range(3):
        decided_case(office, number=f"宜市监处罚〔2026〕{i + 1}号", person=False)
    services.approve(actor=office.head, record_id=DisclosureRecord.objects.filter(status="pending").first().pk)

    public = "/api/v1/public/disclosures/"
    check(schema, "/api/v1/public/disclosures/", api.get(public))
    check(schema, "/api/v1/public/disclosures/{id}/", api.get(f"{public}{company.pk}/"))
    changes = api.get(f"{public}changes/")
    assert {c["kind"] for c in changes.json()["changes"]} == {"published", "corrected", "withdrawn"}
    check(schema, "/api/v1/public/disclosures/changes/", changes)

    publish_pending(office)  # another agency sees a decision once it is published
    api.force_authenticate(member(AgencyFactory(code="421000-SCJG"), "officer"))
    credit = api.get(f"/api/v1/credit/enterprises/{VALID_CREDIT_CODE}/")
    assert credit.json()["records"]
    check(schema, "/api/v1/credit/enterprises/{credit_code}/", credit)
    dishonest = api.get("/api/v1/credit/dishonest/")
    assert dishonest.json()["results"]
    check(schema, "/api/v1/credit/dishonest/", dishonest)

    api.force_authenticate(office.head)
    check(schema, "/api/v1/disclosures/", api.get("/api/v1/disclosures/"))
    check(schema, "/api/v1/disclosures/{id}/", api.get(f"/api/v1/disclosures/{company.pk}/"))
