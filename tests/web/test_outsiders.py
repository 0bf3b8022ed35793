"""Another agency's case is a 404 on every page and fragment of the web UI,
whatever the method, and each attempt is on the owner's audit record. The
routes are walked from the router, so a new case route is held to it too."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from casehub.models import AuditEntry
from casehub.services import evidence
from tests.factories import make_case
from tests.files.samples import PDF

from .helpers import signed_in

pytestmark = pytest.mark.django_db


def case_routes() -> list[str]:
    """Names of the web routes about one case (they take its id)."""
    names = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace == "web" and "<int:case_id>" in str(entry.pattern):
                names.append(entry.name)

    walk(get_resolver().url_patterns, None)
    return sorted(names)


def test_the_walk_finds_the_case_routes():
    assert {"case", "case-parties", "case-timeline", "case-action", "case-notes", "case-mentions", "case-evidence",
            "case-evidence-download", "case-evidence-custody", "case-cooperation", "case-audit",
            "case-assistance-new", "case-participant-add", "case-participant-end"} <= set(case_routes())


@pytest.fixture
def their_case(office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = make_case(office)
    file = evidence.upload(actor=office.officer, case=case, uploaded=SimpleUploadedFile("鉴定意见.pdf", PDF))
    return case, file


def _url(name, case, file):
    kwargs = {"case_id": case.pk}
    if name.startswith("case-evidence-"):
        kwargs["file_id"] = file.pk
    if name == "case-action":
        kwargs["name"] = "stop_clock"
    if name == "case-participant-end":
        kwargs["participant_id"] = 1
    return reverse(f"web:{name}", kwargs=kwargs)


@pytest.mark.parametrize("name", case_routes())
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_agencys_case_is_a_404_and_on_record(name, method, their_case, outsider):
    case, file = their_case
    client = signed_in(outsider)
    before = AuditEntry.objects.filter(user=outsider, result="denied").count()
    url = _url(name, case, file)
    send = getattr(client, method)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):  # the page and its fragment
        response = send(url, {"reason": "x", "text": "@x", "q": "x"}, **headers)
        # A route that takes no POST says so with a 405 and reveals nothing either.
        assert response.status_code in ((404,) if method == "get" else (404, 405)), (url, response.status_code)
        assert case.title not in response.content.decode()
    denied = AuditEntry.objects.filter(user=outsider, result="denied")
    if not (method == "post" and response.status_code == 405):
        assert denied.count() > before, f"{method.upper()} {url}: the attempt is not on record"
        assert denied.filter(owner_agency=case.owning_agency).exists()
    assert case.number not in "".join(client.get(reverse(n)).content.decode() for n in ("web:workbench", "web:case-list"))
