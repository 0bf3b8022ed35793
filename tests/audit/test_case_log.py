"""A case's own audit log (services.audit_log.read_case_log): its acts and
those on its files, transfers and assistance requests, nothing of another
case's; for the owning agency's auditors and head only."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casehub.models import AuditEntry, Case
from casehub.rules.refusal import Refused
from casehub.services import assistance, evidence
from casehub.services.audit_log import read_case_log
from tests.files.samples import PDF
from tests.transfers.helpers import open_filed_case, send_transfer_to_police

pytestmark = pytest.mark.django_db


def test_the_case_log_gathers_the_case_its_files_transfers_and_requests(api, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case_id, transfer_id = send_transfer_to_police(api, cast)
    file = evidence.upload(actor=cast.officer, case=case_id, uploaded=SimpleUploadedFile("笔录.pdf", PDF))
    item = assistance.ask(actor=cast.officer, case=case_id, to_agency=cast.jingzhou, subject="协查",
                          details="请核实", due_on=timezone.localdate() + timedelta(days=5))
    other = open_filed_case(api, cast)
    case = Case.objects.get(pk=case_id)
    seen = set(read_case_log(actor=cast.head, case=case).values_list("object_type", "object_id", "action"))
    assert ("case", str(case_id), "case.create") in seen
    assert ("transfer", str(transfer_id), "transfer.send") in seen
    assert ("file", str(file.pk), "file.upload") in seen
    assert ("assistance", str(item.pk), "assistance.ask") in seen
    assert not {e for e in seen if e[1] == str(other) and e[0] == "case"}
    assert AuditEntry.objects.order_by("-seq").first().action == "audit.read"  # the read is audited


@pytest.mark.parametrize("who", ["officer", "police_liaison", "outsider"])
def test_no_one_else_reads_it(api, cast, who):
    case = Case.objects.get(pk=send_transfer_to_police(api, cast)[0])
    with pytest.raises(Refused) as refused:
        read_case_log(actor=getattr(cast, who), case=case)
    assert refused.value.not_found
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.result, entry.owner_agency_id) == ("audit.read", "denied", cast.market.pk)
