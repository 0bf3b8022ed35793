"""The disclosure desk's cast: an office's decided penalty (a record per
respondent, awaiting review), and as many more records as a list needs,
made in bulk beside it (a party each), for the query counts."""

from datetime import timedelta

from django.utils import timezone

from casehub.models import Party
from disclosure import services
from disclosure.models import CreditRepair, DisclosureRecord
from tests.disclosure.helpers import decided_case

COMPANY = "宜昌某某商贸有限公司"


def pending_record(office, **kwargs) -> DisclosureRecord:
    """The enterprise's record of a penalty decided today (awaiting review)."""
    case = decided_case(office, person=False, **kwargs)
    return DisclosureRecord.objects.get(case=case, party_kind="enterprise")


def published_record(office, **kwargs) -> DisclosureRecord:
    record = pending_record(office, **kwargs)
    return services.approve(actor=office.reviewer, record_id=record.pk)


def clones(record: DisclosureRecord, n: int, **fields) -> list[DisclosureRecord]:
    """n more records like `record` (each of a new party of its case)."""
    parties = Party.objects.bulk_create([Party(case_id=record.case_id, role="respondent", kind="enterprise",
                                               name=f"{COMPANY}{i}号分公司") for i in range(n)])
    base = {f.attname: getattr(record, f.attname) for f in DisclosureRecord._meta.concrete_fields
            if f.attname not in ("id", "party_id", "party_name")}
    return DisclosureRecord.objects.bulk_create([
        DisclosureRecord(**{**base, **fields, "party_id": p.pk, "party_name": p.name}) for p in parties])


def aged(record: DisclosureRecord, months: int = 7) -> DisclosureRecord:
    """Published `months` ago: a credit repair may be applied for."""
    published = timezone.localdate() - timedelta(days=31 * months)
    record.status = "pending"
    record.save(update_fields=["status"])
    return services.approve(actor=record_reviewer(record), record_id=record.pk, today=published)


def record_reviewer(record):
    from agencies.models import Membership

    return Membership.objects.current().filter(agency_id=record.agency_id, role="reviewer").first().user


def application(office, record, **fields) -> CreditRepair:
    return services.apply_repair(actor=office.officer, record_id=record.pk, applicant=fields.get("applicant", "法定代表人"),
                                 reason=fields.get("reason", "已履行处罚决定，主动消除不良影响。"),
                                 applied_on=fields.get("applied_on", timezone.localdate()))
