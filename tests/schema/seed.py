"""A small world for the schema tests: two agencies, cases in several
states, parties, notes, a published disclosure."""

from dataclasses import dataclass

from casehub.services import cases as service
from disclosure import services as disclosure
from disclosure.models import DisclosureRecord
from tests.disclosure.helpers import decided_case
from tests.factories import Office, RegionFactory, make_case


@dataclass
class World:
    office: Office
    other: Office

    @property
    def officer(self):
        return self.office.officer


def seed() -> World:
    office = Office()
    other = Office(code="421000-SCJG", short_name="荆市监", region=RegionFactory(code="421000", name="荆州市"))
    decided = decided_case(office)
    for record in DisclosureRecord.objects.filter(case=decided):
        disclosure.approve(actor=office.head, record_id=record.pk)
    for n in range(3):
        case = make_case(office, title=f"销售假冒注册商标商品案{n}")
        service.add_note(actor=office.officer, case=case, text=f"备注{n}")
    make_case(other, title="荆州的案件")
    return World(office=office, other=other)
