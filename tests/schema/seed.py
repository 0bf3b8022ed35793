"""A small world for the schema tests, seen by a market-supervision officer
(wangfang): the real agencies of 宜昌, cases in several states with parties,
notes and an evidence file, a transfer sent to the police, a request for
assistance, a joint handling, a published disclosure with a repair
application — so that generated requests reach real objects, not only 404s.

`ids` names, for each path parameter of each route, an object of the world,
`references` a value for each field of a body that names one (see
test_schemathesis.real_ids)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from casehub.services import assistance, evidence, participants
from casehub.services import cases as service
from disclosure import services as disclosure
from disclosure.models import DisclosureRecord
from notifications.models import Notification
from tests.disclosure.helpers import decided_case
from tests.factories import VALID_CREDIT_CODE, make_case
from tests.files.samples import PDF
from tests.transfers.helpers import Cast, send_transfer_to_police


@dataclass
class World:
    cast: Cast
    ids: dict[str, object] = field(default_factory=dict)
    references: dict[str, object] = field(default_factory=dict)

    @property
    def officer(self):
        return self.cast.officer


def seed() -> World:
    cast = Cast()
    office = SimpleNamespace(agency=cast.market, officer=cast.officer, officer2=cast.officer2, head=cast.head,
                             reviewer=cast.head, region=cast.market.region)
    case_id, transfer_id = send_transfer_to_police(APIClient(), cast)
    decided = decided_case(office)
    for record in DisclosureRecord.objects.filter(case=decided):
        disclosure.approve(actor=cast.head, record_id=record.pk)
    record = DisclosureRecord.objects.filter(case=decided, party_kind="enterprise").get()
    # Six months on, the party may apply for repair.
    DisclosureRecord.objects.filter(pk=record.pk).update(repair_possible_from=timezone.localdate())
    repair = disclosure.apply_repair(actor=cast.officer, record_id=record.pk, applicant="宜昌某某商贸有限公司",
                                     reason="已整改完毕", applied_on=timezone.localdate())
    open_case = make_case(office, title="侵犯外观设计专利权案", ip_type="design_patent")
    service.add_note(actor=cast.officer, case=open_case, text="@liqiang 请核实")
    upload = SimpleUploadedFile("询问笔录.pdf", PDF, content_type="application/pdf")
    file = evidence.upload(actor=cast.officer, case=open_case, uploaded=upload, description="询问笔录")
    asked = assistance.ask(actor=cast.officer, case=open_case, to_agency=cast.jingzhou, subject="核实经营地址",
                           details="请核实当事人在荆州的经营地址。",
                           due_on=timezone.localdate() + timedelta(days=7))
    joint = participants.add(actor=cast.head, case=open_case, agency=cast.copyright, role="co_handler")
    notification = Notification.objects.filter(recipient=cast.officer).first()
    world = World(cast=cast)
    world.ids = {
        "cases": open_case.pk, "transferred case": case_id, "transfers": transfer_id, "files": file.pk,
        "assistance": asked.pk, "participant_id": joint.pk, "disclosures": record.pk, "public": record.pk,
        "credit-repairs": repair.pk, "agencies": cast.market.pk, "regions": "420500",
        "credit_code": VALID_CREDIT_CODE, "notifications": notification.pk if notification else None,
        "memberships": cast.officer.memberships.first().pk,
    }
    world.references = {
        "region": "420500", "agency": cast.market.pk, "to_agency": cast.police.pk, "lead_officer": "wangfang",
        "user": "liqiang", "handlers": ["liqiang"], "credit_code": VALID_CREDIT_CODE,
    }
    return world
