from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agencies.models import Membership, User
from agencies.seed.demo_users import DEMO_PASSWORD
from casehub import access
from tests.factories import TEST_PASSWORD, AgencyFactory, member

pytestmark = pytest.mark.django_db


def test_login_page_renders_in_chinese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_english_on_request(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Log in" in response.content.decode()


def test_officer_logs_in_and_sees_agency(client):
    agency = AgencyFactory(name="宜昌市市场监督管理局")
    officer = member(agency, username="wangfang", full_name="王芳")
    response = client.post("/accounts/login/", {"username": "wangfang", "password": TEST_PASSWORD}, follow=True)
    assert response.context["user"] == officer
    page = response.content.decode()
    assert "王芳" in page and "宜昌市市场监督管理局" in page
    me = client.get("/api/v1/me/").json()
    assert me["memberships"][0]["agency"]["name"] == "宜昌市市场监督管理局"


def test_wrong_password_shows_an_error(client):
    member(AgencyFactory(), username="wangfang")
    response = client.post("/accounts/login/", {"username": "wangfang", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_api_docs_and_schema_render(client):
    assert client.get("/api/docs/").status_code == 200
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/agencies/" in schema.content and b"/api/v1/me/" in schema.content


@pytest.fixture
def seeded(settings, media):
    settings.DEBUG = True
    call_command("seed_agencies", verbosity=0)


def test_demo_seed_is_idempotent_and_logins_work(seeded, client):
    from casehub.models import Case

    out = StringIO()
    call_command("seed_demo", cases=30, verbosity=0, stdout=out)
    users, memberships, cases = User.objects.count(), Membership.objects.count(), Case.objects.count()
    # 30 cases as asked, and the stories that give each demo login a workbench.
    assert "demo cases: 30 created" in out.getvalue() and cases > 30
    assert len(set(Case.objects.values_list("status", flat=True))) >= 4
    call_command("seed_demo", cases=30, verbosity=0)
    assert (User.objects.count(), Membership.objects.count(), Case.objects.count()) == (users, memberships, cases)
    assert client.login(username="wangfang", password=DEMO_PASSWORD)
    roles = client.get("/api/v1/me/").json()["roles"]
    assert roles == {"420500-SCJG": ["officer"]}
    # The demo officer sees only cases their agency may see: its own, and
    # the one 西陵区 transferred to it; none of 荆州's.
    listed = client.get("/api/v1/cases/", {"page_size": 200}).json()["results"]
    codes = {c["owning_agency"]["code"] for c in listed}
    assert "420500-SCJG" in codes and "421000-SCJG" not in codes
    wangfang = User.objects.get(username="wangfang")
    assert {c["id"] for c in listed} == set(access.visible_cases(wangfang).values_list("pk", flat=True))


def test_demo_seed_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()
