"""The audit tab: the case's entries for the owning agency's auditors and
head only, newest first, in pages; a 404 (audited) for everyone else."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casehub import audit
from casehub.models import AuditEntry
from casehub.services import evidence
from casehub.services.audit_log import read_case_log
from casehub.services.cases import add_note
from tests.audit.trail import Trail
from tests.factories import make_case
from tests.files.samples import PDF

from .case_tabs import assert_hidden_and_audited, assert_sign_in_redirect, auditor_of, sharing_office
from .helpers import assert_constant_queries, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def case(office):
    return make_case(office)


def url(case):
    return reverse("web:case-audit", args=[case.pk])


def test_anonymous_is_sent_to_sign_in(case):
    assert_sign_in_redirect(url(case))


def test_an_outsider_gets_404_audited_on_the_owner(case, outsider):
    entry = assert_hidden_and_audited(outsider, url(case), "case.audit")
    assert entry.owner_agency_id == case.owning_agency_id


def test_an_officer_who_sees_the_case_gets_404_audited(case, office):
    entry = assert_hidden_and_audited(office.officer, url(case), "audit.read")
    assert (entry.object_type, entry.object_id, entry.agency_id, entry.owner_agency_id) == (
        "case", str(case.pk), office.agency.pk, office.agency.pk)
    # The tab is not offered to them either.
    assert url(case) not in signed_in(office.officer).get(reverse("web:case-notes", args=[case.pk])).content.decode()


def test_the_head_of_an_agency_the_case_is_shared_with_does_not_read_the_owners_log(case):
    police = sharing_office(case)
    client = signed_in(police.head)
    assert client.get(reverse("web:case-notes", args=[case.pk])).status_code == 200  # sees the case
    trail = Trail()
    assert client.get(url(case)).status_code == 404
    assert trail.denied("audit.read").owner_agency_id == case.owning_agency_id


@pytest.mark.parametrize("who", ["auditor", "head"])
def test_the_owners_auditor_and_head_read_the_case_log(case, office, outsider, who):
    reader = auditor_of(office) if who == "auditor" else office.head
    add_note(actor=office.officer, case=case.pk, text="笔记")
    file = evidence.upload(actor=office.officer, case=case.pk, uploaded=SimpleUploadedFile("笔录.pdf", PDF))
    signed_in(outsider).get(reverse("web:case-notes", args=[case.pk]))  # a probe, denied
    other = make_case(office, title="别的案件")
    add_note(actor=office.officer, case=other.pk, text="别的案件的笔记")
    client = signed_in(reader)
    trail = Trail()
    response = client.get(url(case))
    assert response.status_code == 200
    html = response.content.decode()
    for code in ("case.create", "case.add_note", "file.upload", "case.notes"):
        assert f"<code class=\"muted\">{code}</code>" in html, code
    assert f'id="audit-{AuditEntry.objects.get(action="file.upload").seq}"' in html and f"file #{file.pk}" in html
    assert "拒绝" in html and "允许" in html and outsider.username in html  # the probe, denied
    assert html.count("case.add_note") == 1  # not the other case's
    created = AuditEntry.objects.get(action="case.create", object_id=str(case.pk)).seq
    noted = AuditEntry.objects.get(action="case.add_note", object_id=str(case.pk)).seq
    assert html.index(f'id="audit-{noted}"') < html.index(f'id="audit-{created}"')  # newest first
    assert [(e.action, e.result) for e in trail.entries()] == [("audit.read", "allowed")]  # the read is audited


def test_a_refusal_shows_its_reason(case, office):
    client = signed_in(office.officer)
    client.post(reverse("web:case-evidence", args=[case.pk]), {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00")})
    html = signed_in(office.head).get(url(case)).content.decode()
    assert "不接受此类文件" in html


def test_pages_go_back_by_sequence(case, office):
    for _ in range(60):
        audit.record(user=office.officer, action="case.read", object_type="case", object_id=case.pk,
                     owner_agency_id=office.agency.pk, agency_id=office.agency.pk)
    client = signed_in(office.head)
    first = client.get(url(case)).content.decode()
    assert first.count('<tr id="audit-') == 50 and "?before=" in first and "?after=" not in first
    entries = list(read_case_log(actor=office.head, case=case).order_by("-seq"))
    oldest_shown = entries[49].seq
    second = client.get(url(case) + f"?before={oldest_shown}", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in second and f'id="audit-{entries[50].seq}"' in second and "?after=" in second
    assert f'id="audit-{oldest_shown}"' not in second


def test_audit_costs_the_same_queries_for_1_and_50(case, office):
    def grow(n):
        while read_case_log(actor=office.head, case=case).count() < n:
            audit.record(user=office.officer, action="case.read", object_type="case", object_id=case.pk,
                         owner_agency_id=office.agency.pk, agency_id=office.agency.pk)

    assert_constant_queries(signed_in(office.head), url(case), grow)
