"""A decided penalty case with an enterprise, an individual and an
informant: the cast of the disclosure tests."""

from django.utils import timezone

from casehub.models import Case
from casehub.services import cases as service
from tests.factories import VALID_CREDIT_CODE, VALID_ID_NUMBER, make_case

INFORMANT = "赵举报"
PERSON = "张三丰"
FACTS = "经查，当事人在仓库内存放假冒“稻花香”白酒三百箱，系从荆州某物流点提货。"


def decided_case(office, *, penalties=("fine", "confiscate_goods"), fine="150000.00", number="宜市监处罚〔2026〕88号",
                 credit_code=VALID_CREDIT_CODE, company="宜昌某某商贸有限公司", decision_date=None, person=True):
    case = make_case(office, facts=FACTS)
    service.add_party(actor=office.officer, case=case, data={
        "role": "respondent", "kind": "enterprise", "name": company, "credit_code": credit_code})
    if person:
        service.add_party(actor=office.officer, case=case, data={
            "role": "respondent", "kind": "individual", "name": PERSON, "id_number": VALID_ID_NUMBER})
    service.add_party(actor=office.officer, case=case, data={"role": "informant", "kind": "individual",
                                                             "name": INFORMANT})
    decision_date = decision_date or timezone.localdate()
    # Filed no later than decided: the case service refuses a decision that precedes the filing.
    filed_on = min(case.lead_received_on, decision_date)
    Case.objects.filter(pk=case.pk).update(status="under_review", lead_received_on=filed_on, filed_on=filed_on)
    data = {"outcome": "penalty", "decision_date": decision_date, "penalties": list(penalties),
            "decision_number": number, "legal_basis": "《中华人民共和国商标法》第六十条第二款"}
    if "fine" in penalties:
        data["fine_amount"] = fine
    service.apply_action(actor=office.head, case_id=case.pk, name="decide", data=data)
    case.refresh_from_db()
    return case


def publish_pending(office):
    """Approve every record still awaiting review: other agencies see a
    decision only once it is published."""
    from disclosure import services
    from disclosure.models import DisclosureRecord

    for record in DisclosureRecord.objects.filter(agency=office.agency, status="pending"):
        services.approve(actor=office.head, record_id=record.pk)
