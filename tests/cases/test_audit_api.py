import pytest

from agencies.roles import Role
from casehub.models import AuditEntry
from tests.factories import Office, make_case, member, jingzhou_office

pytestmark = pytest.mark.django_db
URL = "/api/v1/audit/"


def test_auditor_reads_own_agency_entries_only(api):
    office = Office()
    other = jingzhou_office()
    case = make_case(office)
    make_case(other)
    api.force_authenticate(office.reviewer)
    api.get(f"/api/v1/cases/{case.pk}/")
    auditor = member(office.agency, Role.AUDITOR, username="shenji")
    api.force_authenticate(auditor)
    entries = api.get(URL).json()["results"]
    assert entries and {e["agency"] for e in entries} == {office.agency.code}
    assert [e["action"] for e in api.get(URL, {"action": "case.read"}).json()["results"]] == ["case.read"]
    assert entries[0]["seq"] > entries[-1]["seq"]  # newest first


def test_officers_may_not_read_the_audit_log_and_the_attempt_is_audited(api):
    office = Office()
    make_case(office)
    api.force_authenticate(office.officer)
    assert api.get(URL).status_code == 403
    denied = AuditEntry.objects.get(action="audit.read")
    assert (denied.user, denied.result, denied.agency_id) == (office.officer, "denied", office.agency.pk)


def test_each_read_of_the_log_is_audited_with_its_filters(api):
    office = Office()
    auditor = member(office.agency, Role.AUDITOR, username="shenji")
    api.force_authenticate(auditor)
    assert api.get(URL, {"action": "case.create"}).status_code == 200
    entry = AuditEntry.objects.get(action="audit.read")
    assert entry.result == "allowed" and entry.detail["filters"] == {"action": "case.create"}
    # A malformed filter is refused before anything is read.
    assert api.get(URL, {"at_after": "yesterday"}).status_code == 400
    assert AuditEntry.objects.filter(action="audit.read").count() == 1


def test_bad_filter_is_400(api):
    office = Office()
    api.force_authenticate(member(office.agency, Role.AUDITOR, username="shenji"))
    assert api.get(URL, {"at_after": "yesterday"}).status_code == 400
