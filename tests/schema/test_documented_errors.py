"""The OpenAPI schema says what the API really answers (issue 11, defect
12): the refusals every operation can give, with their bodies; search
facets keyed by the right type; the custody chain as a list; a nullable
supervising agency marked so."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from casehub.api.schema import error_codes


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_every_operation_documents_its_refusals(schema):
    seen = 0
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert "429" in responses, (method, path)
        if operation.get("security") != [{}]:
            assert {"401", "403"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= set(responses), (method, path)
        if method != "get":
            assert "409" in responses, (method, path)
        for code in ("400", "401", "403", "404", "409", "413", "429"):
            if code in responses:
                body = resolve(schema, responses[code]["content"]["application/json"]["schema"])
                assert body["type"] == "object", (method, path, code)
        seen += 1
    assert seen > 70


def test_the_public_doors_need_no_login_and_say_so(schema):
    listing = schema["paths"]["/api/v1/public/disclosures/"]["get"]["responses"]
    assert "401" not in listing and "429" in listing and "400" in listing


def test_the_error_bodies(schema):
    components = schema["components"]["schemas"]
    assert components["Error"]["required"] == ["detail"]
    assert components["Conflict"]["properties"]["allowed_actions"]["type"] == "array"
    assert components["FieldErrors"]["additionalProperties"] == {}


def test_the_rule_for_which_codes():
    assert error_codes("get", {}) == ["429"]
    assert error_codes("get", {"parameters": [{"in": "path", "name": "id", "schema": {"type": "integer"}}],
                               "security": [{"apiToken": []}]}) == ["400", "401", "403", "404", "429"]
    assert "400" in error_codes("get", {"parameters": [{"in": "path", "name": "code", "schema": {"type": "string"}}]})
    assert error_codes("post", {"requestBody": {}, "security": [{}]}) == ["400", "409", "413", "415", "429"]


@pytest.mark.django_db
def test_a_numeric_path_with_a_control_character_is_a_400(client):
    # Why every operation with a path parameter documents 400: the input check
    # refuses such a path before any route is matched.
    assert client.get("/api/v1/me/tokens/x%05/").status_code == 400


def test_search_facets_are_keyed_by_their_type(schema):
    result = resolve(schema, schema["paths"]["/api/v1/search/cases/"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"])
    facets = resolve(schema, result["properties"]["facets"])["properties"]
    key_type = {name: resolve(schema, facets[name]["items"])["properties"]["key"]["type"] for name in facets}
    assert key_type == {"status": "string", "ip_type": "string", "kind": "string", "region": "string",
                        "agency": "integer", "year": "integer"}
    assert "503" in schema["paths"]["/api/v1/search/cases/"]["get"]["responses"]


def test_the_custody_chain_is_a_list_not_a_page(schema):
    body = schema["paths"]["/api/v1/files/{id}/custody/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert body["schema"]["type"] == "array"
    assert "page" not in {p["name"] for p in schema["paths"]["/api/v1/files/{id}/custody/"]["get"].get("parameters", [])}


def test_a_transfers_supervising_agency_may_be_null(schema):
    transfer = schema["components"]["schemas"]["Transfer"]["properties"]["supervising_agency"]
    assert transfer.get("nullable") is True or {"type": "null"} in transfer.get("oneOf", [])


def test_a_download_documents_the_types_it_serves(schema):
    content = schema["paths"]["/api/v1/files/{id}/download/"]["get"]["responses"]["200"]["content"]
    assert {"application/pdf", "image/png", "video/mp4", "text/plain"} <= set(content)


@pytest.mark.django_db
def test_a_search_answers_integer_keys_where_the_schema_says_so(api):
    from casehub.events.worker import drain
    from tests.factories import Office, make_case

    office = Office()
    make_case(office)
    drain()
    api.force_authenticate(office.officer)
    facets = api.get("/api/v1/search/cases/").json()["facets"]
    assert all(isinstance(b["key"], int) for b in facets["agency"] + facets["year"])
    assert all(isinstance(b["key"], str) for b in facets["status"] + facets["region"])
