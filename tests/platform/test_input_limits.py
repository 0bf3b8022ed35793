"""Bad input is a 400 naming the field, never a 500 (issue 11, defect 6):
control characters in any JSON, form or multipart field and any query
parameter, JSON nested too deep; a body too large is a 413, JSON on the API
and a page elsewhere. The suite runs on SQLite and on PostgreSQL, which
refuses NUL in text outright (the 500 these tests were written against)."""

import json

import pytest
from django.test import Client

from agencies.models import Membership
from agencies.roles import Role
from casehub.models import Case
from casehub.text_input import problems
from tests.factories import AgencyFactory, Office, UserFactory, member, token_for

pytestmark = pytest.mark.django_db
REFUSED = "Control characters (such as NUL) are not allowed."


@pytest.fixture
def office():
    return Office()


def bearer(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}", HTTP_ACCEPT_LANGUAGE="en")


def case_body(office, **fields):
    return {"title": "某公司销售假冒注册商标商品案", "ip_type": "trademark", "kind": "administrative_penalty",
            "source": "complaint", "region": office.region.code, "lead_received_on": "2026-01-05", **fields}


@pytest.mark.parametrize("field,value,error", [
    ("region", "420500\x00", {"region": [REFUSED]}),
    ("lead_officer", "officer\x00", {"lead_officer": [REFUSED]}),
    ("handlers", ["ok", "x\x00y"], {"handlers": {"1": [REFUSED]}}),
    ("title", "标题\x1b[31m", {"title": [REFUSED]}),
    ("parties", [{"role": "respondent", "kind": "enterprise", "name": "某公司\x00"}],
     {"parties": {"0": {"name": [REFUSED]}}}),
])
def test_a_control_character_in_a_case_field_is_a_400_naming_it(office, field, value, error):
    response = bearer(office.officer).post("/api/v1/cases/", case_body(office, **{field: value}),
                                           content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json() == error
    assert not Case.objects.exists()


def test_tab_newline_and_return_are_free_texts_own(office):
    response = bearer(office.officer).post("/api/v1/cases/", case_body(office, facts="第一行\r\n\t第二行"),
                                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert Case.objects.get().facts == "第一行\r\n\t第二行"


def test_a_nul_in_a_membership_user_is_a_400(office):
    admin = member(office.agency, Role.AGENCY_ADMIN, username="agency-admin")
    UserFactory(username="newcomer")
    response = bearer(admin).post("/api/v1/memberships/", {"user": "newcomer\x00", "agency": office.agency.pk,
                                                           "role": "officer"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"user": [REFUSED]}
    assert not Membership.objects.filter(user__username="newcomer").exists()


def test_a_nul_in_an_agency_region_is_a_400(office):
    platform = UserFactory(username="platform-admin", is_superuser=True, is_staff=True)
    body = {"code": "420500-ZSCQ", "name": "宜昌市知识产权局", "short_name": "宜知", "kind": "market_supervision",
            "region": "\x00420500"}
    response = bearer(platform).post("/api/v1/agencies/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"region": [REFUSED]}


def test_form_and_multipart_fields_are_checked_the_same_way(office):
    client = bearer(office.officer)
    form = client.post("/api/v1/cases/", "title=a%00b&region=420500", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 400 and form.json() == {"title": [REFUSED]}
    multipart = client.post("/api/v1/cases/", {"title": "a\x07b", "region": "420500"})
    assert multipart.status_code == 400 and multipart.json() == {"title": [REFUSED]}


@pytest.mark.parametrize("path,params", [
    ("/api/v1/cases/", {"region": "4205\x00"}),
    ("/api/v1/cases/", {"party": "某\x00"}),
    ("/api/v1/agencies/", {"region": "\x00"}),
    ("/api/v1/agencies/", {"within": "42\x00"}),
    ("/api/v1/audit/", {"user": "a\x00"}),
    ("/api/v1/search/cases/", {"region": "\x01"}),
    ("/api/v1/public/disclosures/", {"agency": "420500-SCJG\x00"}),
])
def test_a_control_character_in_a_query_parameter_is_a_400_naming_it(office, path, params):
    response = bearer(office.head).get(path, params)
    assert response.status_code == 400, (path, response.content)
    assert response.json() == {name: [REFUSED] for name in params}


def test_a_control_character_in_a_path_names_the_parameter_or_is_a_404(office):
    response = bearer(office.officer).get("/api/v1/credit/enterprises/91350100%00/")
    assert response.status_code == 400 and response.json() == {"credit_code": [REFUSED]}
    case = bearer(office.officer).get("/api/v1/cases/1%00/")
    assert case.status_code == 400 and case.json() == {"id": [REFUSED]}
    assert Client().get("/public/disclosures/%01/").status_code == 404


def test_a_field_name_with_a_control_character_is_refused(office):
    response = bearer(office.officer).post("/api/v1/cases/", {"ti\x00tle": "x"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"ti\\x00tle": ["A field name may not contain control characters."]}


def test_a_web_form_with_a_control_character_gets_a_page_naming_the_field(office):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/accounts/login/", {"username": "a\x00", "password": "x"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "username" in response.content.decode()


def test_deeply_nested_json_is_a_json_400(office):
    client = bearer(office.officer)
    for body in ("[" * 5000, "[" * 65 + "]" * 65, json.dumps({"title": [[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]})):
        response = client.post("/api/v1/cases/", body, content_type="application/json")
        assert response.status_code == 400, body[:20]
        assert "detail" in response.json() or "title" in response.json()
    deep = client.post("/api/v1/cases/", "[" * 70 + "]" * 70, content_type="application/json")
    assert "64" in deep.json()["detail"]


def test_a_body_past_the_limit_is_a_json_413_on_the_api(office, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = bearer(office.officer)
    response = client.post("/api/v1/cases/", case_body(office, facts="事实" * 10_000), content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "10000" in response.json()["detail"]
    form = client.post("/api/v1/cases/", "facts=" + "x" * 20_000, content_type="application/x-www-form-urlencoded")
    assert form.status_code == 413 and "detail" in form.json()
    assert not Case.objects.exists()


def test_a_web_form_past_the_limit_gets_a_page(office, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = Client().post("/accounts/login/", {"username": "x" * 5_000, "password": "y"})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "<h1>" in response.content.decode()


def test_multipart_fields_past_the_limit_are_a_413(office, settings):
    from tests.files.samples import PDF

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import make_case

    case = make_case(office)
    upload = bearer(office.officer).post(f"/api/v1/cases/{case.pk}/files/", {
        "file": SimpleUploadedFile("证据.pdf", PDF, content_type="application/pdf"), "description": "说明" * 1000})
    assert upload.status_code == 413
    assert "detail" in upload.json()


def test_the_check_walks_any_shape_without_recursion():
    deep: list = []
    node = deep
    for _ in range(5000):
        node.append([])
        node = node[0]
    node.append("\x00")
    assert problems(deep) is not None
    assert problems({"a": ["fine\t\n\r", {"b": "好"}]}) is None
    assert problems({"a": "\ud800"}) == {"a": [REFUSED]}


def test_a_service_accounts_body_is_checked_like_anyones():
    agency = AgencyFactory()
    from tests.factories import service_account

    svc = service_account(agency)
    response = bearer(svc).post("/api/v1/cases/", {"title": "\x00"}, content_type="application/json")
    assert response.status_code == 400 and response.json() == {"title": [REFUSED]}


def _asgi_post(path: str, headers: list, chunks: list[bytes]):
    """POST through the ASGI application as uvicorn would call it: what it
    answered, and how many body messages it took from the client."""
    from asgiref.sync import async_to_sync

    from casehub.asgi import application

    taken = []

    async def run():
        messages = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]

        async def receive():
            taken.append(1)
            return messages[len(taken) - 1] if len(taken) <= len(messages) else {"type": "http.disconnect"}

        sent = []

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
                 "headers": [(b"host", b"127.0.0.1"), *headers], "client": ("127.0.0.1", 5000),
                 "server": ("127.0.0.1", 8000)}
        await application(scope, receive, send)
        return sent

    sent = async_to_sync(run)()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.lower(): v for k, v in start["headers"]}, body, len(taken)


def test_under_asgi_a_declared_oversize_body_is_refused_unread(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    status, headers, body, taken = _asgi_post(
        "/api/v1/cases/", [(b"content-type", b"application/json"), (b"content-length", b"50000000")],
        [b"{" + b" " * 999] * 50)
    assert status == 413
    assert headers[b"content-type"] == b"application/json"
    assert b"detail" in body
    assert taken == 0  # not one byte of it was read
    assert b"content-security-policy" in headers


def test_under_asgi_an_undeclared_oversize_body_is_cut_off(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    status, _headers, _body, taken = _asgi_post(
        "/api/v1/cases/", [(b"content-type", b"application/json")], [b" " * 600] * 50)
    assert status == 413
    assert taken <= 3  # it stopped reading at the limit
