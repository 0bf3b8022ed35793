"""What the case-tab tests share: who is who around one case, and the
checks every page and fragment must pass."""

from urllib.parse import quote

from django.test import Client

from agencies.roles import Role
from casehub import access
from tests.audit.trail import Trail
from tests.factories import Office, RegionFactory, member

from .helpers import signed_in


def auditor_of(office: Office):
    return member(office.agency, Role.AUDITOR, username=f"{office.agency.code.lower()}-auditor")


def sharing_office(case) -> Office:
    """Another agency the case is shared with (a view grant, as a transfer
    or a joint handling gives): its members see the case, not its log."""
    other = Office(code="420500-GA", short_name="宜公安", region=RegionFactory(code="420500", name="宜昌市"))
    access.grant_case(case, other.agency)
    return other


def assert_sign_in_redirect(url: str, method: str = "get") -> None:
    response = getattr(Client(), method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={quote(url)}"


def assert_hidden_and_audited(user, url: str, action: str, method: str = "get", **data):
    """A 404, and one denied entry of `action` (nothing else written)."""
    client = signed_in(user)
    trail = Trail()
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code == 404, (url, response.status_code)
    return trail.denied(action)
