"""A known set of cases, transfers, assistance requests, parties and
disclosure records for the statistics tests, every figure worked out by
hand below (YEAR is last year: every date of it has passed).

宜昌市市场监督管理局 (A, 420500) has a subordinate district office D
(西陵区, 420502, parent A). P is the city's police, R its procuratorate
(supervising the suspected crimes), O the outsider of 荆州 (421000)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from agencies.models import AgencyKind, RegionLevel
from agencies.roles import Role
from casehub.models import AssistanceRequest, Case, IndicatorTarget, Party, Transfer
from tests.factories import AgencyFactory, Office, RegionFactory, jingzhou_office, make_case, member

YEAR = timezone.localdate().year - 1


def d(month, day, year=YEAR):
    return date(year, month, day)


def at(month, day, hour=9, year=YEAR):
    return timezone.make_aware(datetime(year, month, day, hour, 0))


@dataclass
class World:
    office: Office  # A
    district: Office  # D
    outsider: Office  # O
    police: object
    procuratorate: object
    supervisor: object
    police_head: object
    cases: dict
    transfers: dict


def _case(office, key, *, update, **create):
    case = make_case(office, **create)
    Case.objects.filter(pk=case.pk).update(**update)
    case.refresh_from_db()
    return case


def build() -> World:
    city = RegionFactory(code="420500", name="宜昌市")
    district_region = RegionFactory(code="420502", name="西陵区", level=RegionLevel.DISTRICT, parent=city)
    office = Office(region=city)
    district = Office(code="420502-SCJG", short_name="西市监", region=district_region)
    district.agency.parent = office.agency
    district.agency.save()
    outsider = jingzhou_office()
    police = AgencyFactory(code="420500-GA", short_name="宜公安", kind=AgencyKind.POLICE, region=city)
    procuratorate = AgencyFactory(code="420500-JCY", short_name="宜检", kind=AgencyKind.PROCURATORATE, region=city)
    supervisor = member(procuratorate, Role.SUPERVISOR, username="procurator")
    police_head = member(police, Role.HEAD, username="police-head")
    far = timezone.localdate() + timedelta(days=60)

    cases = {
        "c1": _case(office, "c1", campaign="铁拳", update=dict(
            status="closed", lead_received_on=d(1, 10), filed_on=d(1, 20), filing_due_on=d(1, 31),
            decision_date=d(3, 1), decision_due_on=d(4, 20), outcome="penalty", fine_amount=Decimal("10000.00"),
            confiscated_amount=Decimal("2000.00"), closed_on=d(4, 1), next_deadline="", next_deadline_on=None)),
        "c2": _case(office, "c2", update=dict(
            status="decided", lead_received_on=d(2, 5), filed_on=d(3, 10), filing_due_on=d(2, 26),
            decision_date=d(7, 1), decision_due_on=d(6, 8), outcome="penalty", fine_amount=Decimal("5000.00"),
            next_deadline="", next_deadline_on=None)),
        "c3": _case(district, "c3", ip_type="copyright", campaign="剑网", update=dict(
            status="investigating", lead_received_on=d(3, 3), filed_on=d(3, 5), filing_due_on=d(3, 24),
            decision_due_on=d(6, 3), next_deadline="decision", next_deadline_on=d(6, 3))),
        "c4": _case(district, "c4", ip_type="invention_patent", kind="patent_adjudication", update=dict(
            status="lead", lead_received_on=d(5, 5), filing_due_on=d(5, 26), next_deadline="filing",
            next_deadline_on=d(5, 26))),
        "c5": _case(office, "c5", update=dict(
            status="closed", lead_received_on=d(6, 1, YEAR - 1), filed_on=d(6, 2, YEAR - 1),
            filing_due_on=d(6, 20, YEAR - 1), decision_date=d(8, 1, YEAR - 1), decision_due_on=d(9, 1, YEAR - 1),
            outcome="penalty", fine_amount=Decimal("7000.00"), closed_on=d(9, 1, YEAR - 1), next_deadline="",
            next_deadline_on=None)),
        "c6": _case(outsider, "c6", update=dict(
            status="decided", lead_received_on=d(2, 2), filed_on=d(2, 3), filing_due_on=d(2, 20),
            decision_date=d(3, 1), decision_due_on=d(5, 1), outcome="penalty", fine_amount=Decimal("99999.00"),
            next_deadline="", next_deadline_on=None)),
        "c7": _case(office, "c7", update=dict(
            status="under_review", lead_received_on=d(4, 1), filed_on=d(4, 3), filing_due_on=d(4, 20),
            decision_due_on=far, next_deadline="decision", next_deadline_on=far)),
    }
    c = cases

    def transfer(case, kind, sender, receiver, status, proposed, *, sent=None, decided=None, handed=None,
                 supervising=None, due_at=None):
        return Transfer.objects.create(
            case=case, kind=kind, from_agency=sender.agency, to_agency=receiver, supervising_agency=supervising,
            status=status, reason="涉嫌犯罪", proposed_by=sender.officer, proposed_at=proposed, sent_at=sent,
            decided_at=decided, handed_over_at=handed, due_at=due_at)

    transfers = {
        "t1": transfer(c["c7"], "suspected_crime", office, police, "accepted", at(4, 2), sent=at(4, 3),
                       decided=at(4, 5), handed=at(4, 7), supervising=procuratorate),
        "t2": transfer(c["c2"], "suspected_crime", office, police, "refused", at(7, 2), sent=at(7, 3),
                       decided=at(7, 7), supervising=procuratorate),
        "t3": transfer(c["c3"], "suspected_crime", district, police, "reconsideration", at(5, 1), sent=at(5, 2),
                       decided=at(5, 11), supervising=procuratorate),
        "t4": transfer(c["c4"], "jurisdiction", district, outsider.agency, "proposed", at(6, 1), due_at=at(6, 4)),
        "t5": transfer(c["c6"], "suspected_crime", outsider, police, "accepted", at(3, 2), sent=at(3, 2),
                       decided=at(3, 3), handed=at(3, 20)),
    }

    def ask(case, sender, receiver, status, requested, due_on, *, answered=None, late=False):
        return AssistanceRequest.objects.create(
            case=case, from_agency=sender, to_agency=receiver, subject="核查", details="核查经营场所", due_on=due_on,
            status=status, requested_by=case.lead_officer, requested_at=requested, answered_at=answered,
            answered_late=late)

    ask(c["c1"], office.agency, outsider.agency, "answered", at(2, 1), d(2, 10), answered=at(2, 3))
    ask(c["c6"], outsider.agency, district.agency, "answered", at(3, 1), d(3, 5), answered=at(3, 9), late=True)
    ask(c["c2"], office.agency, police, "open", at(7, 10), d(8, 1))
    ask(c["c3"], district.agency, office.agency, "declined", at(4, 1), d(4, 15))
    ask(c["c6"], outsider.agency, police, "answered", at(3, 1), d(3, 5), answered=at(3, 2))

    def respondent(case, name, code):
        return Party.objects.create(case=case, role="respondent", kind="enterprise", name=name, credit_code=code)

    x, y, z = "91420500MA4X000001", "91420500MA4Y000002", "91420500MA4Z000003"
    respondent(c["c1"], "宜昌甲商贸有限公司", x)
    respondent(c["c2"], "宜昌甲商贸有限公司", x)
    respondent(c["c3"], "宜昌甲商贸有限公司", x)
    respondent(c["c1"], "宜昌乙贸易有限公司", y)
    respondent(c["c6"], "宜昌乙贸易有限公司", y)
    respondent(c["c5"], "宜昌丙公司", z)
    respondent(c["c2"], "宜昌丙公司", z)
    for case in (c["c1"], c["c2"]):
        Party.objects.create(case=case, role="respondent", kind="individual", name="张三", id_number="")

    _disclosures(c, office, district, outsider)
    IndicatorTarget.objects.create(year=YEAR, indicator="enforcement_cases", target=Decimal("8"))
    IndicatorTarget.objects.create(year=YEAR, indicator="police_transfers", target=Decimal("6"))
    IndicatorTarget.objects.create(year=YEAR, indicator="timely_publication_rate", target=Decimal("90"))
    return World(office, district, outsider, police, procuratorate, supervisor, police_head, cases, transfers)


def _disclosures(c, office, district, outsider):
    from disclosure.models import DisclosureRecord

    def record(case, agency, decided, due, *, published=None, status="published"):
        party = case.parties.filter(kind="enterprise").first()
        DisclosureRecord.objects.create(
            case=case, agency=agency, party=party, party_kind="enterprise", party_name=party.name,
            credit_code=party.credit_code, decision_number=f"处罚{case.pk}", decision_date=decided,
            ip_type=case.ip_type, violation_type="商标侵权", due_on=due, published_on=published, status=status,
            late=bool(published and published > due))

    record(c["c1"], office.agency, d(3, 1), d(3, 28), published=d(3, 20))
    record(c["c2"], office.agency, d(7, 1), d(7, 29), published=d(8, 5))
    record(c["c3"], district.agency, d(6, 1), d(6, 30), status="pending")
    record(c["c6"], outsider.agency, d(3, 1), d(3, 28), published=d(3, 10))
