"""Every public page and feed, scanned for what the disclosure rules never
publish: resident ID numbers (a valid GB 11643 check digit), individuals'
full names, informants, officers, the facts of the case, addresses and
telephone numbers. Built through the real services, corrections and a
revocation included: 0 hits."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casehub.models import Case
from casehub.rules.identifiers import id_number_check_char, is_valid_id_number, mask_person_name
from casehub.services import cases as case_service
from disclosure import services
from disclosure.models import DisclosureRecord
from tests.factories import Office, jingzhou_office, make_case

from .portal_helpers import body_of, credit_code, leaks

pytestmark = pytest.mark.django_db


def id_number(region: str, born: str, sequence: str) -> str:
    first17 = f"{region}{born}{sequence}"
    return first17 + id_number_check_char(first17)


# Individuals as the agencies record them: respondents (published masked), informants (never).
RESPONDENTS = [("张三丰", id_number("420502", "19850317", "123")), ("李四", id_number("420106", "19900101", "456")),
               ("欧阳娜娜", id_number("421002", "19781231", "78" + "9"))]
INFORMANTS = [("赵举报", id_number("420503", "19700605", "321")), ("钱知情", id_number("420802", "19950228", "654")),
              ("孙线人", id_number("422801", "19881111", "987"))]
OFFICERS = ["王建国", "刘秀英", "陈卫东", "杨审核", "周局长"]
ADDRESSES = ["宜昌市西陵区解放路88号3单元502室", "荆州市沙市区北京路16号", "恩施市舞阳大道201号"]
PHONES = ["13972000123", "13507170456", "18986000789"]
FACTS = ["经查，当事人在夷陵区仓库内存放假冒“稻花香”白酒三百箱，系从荆州某物流点提货，货值八万六千元。",
         "经查，当事人通过网店销售仿冒“周黑鸭”包装的卤制品，举报人提供了购买记录。",
         "经查，当事人在恩施州宣恩县展销会上销售侵犯“恩施玉露”地理标志的茶叶二百斤。"]


def cast(office: Office, names: list[str]) -> None:
    for user, name in zip((office.officer, office.officer2, office.reviewer, office.head), names, strict=False):
        user.full_name = name
        user.save(update_fields=["full_name"])


def decided(office: Office, i: int, *, company: str, decision_date=None):
    """A penalty case: an enterprise (with its legal representative), an
    individual respondent and an informant, each with ID number, address and
    telephone; decided by the head, every record approved."""
    case = make_case(office, facts=FACTS[i], title=f"侵权案{i}")
    add = case_service.add_party
    add(actor=office.officer, case=case, data={
        "role": "respondent", "kind": "enterprise", "name": company, "credit_code": credit_code(500 + i),
        "legal_representative": OFFICERS[0][:1] + "法人" + str(i), "address": ADDRESSES[i], "contact": PHONES[i]})
    name, number = RESPONDENTS[i]
    add(actor=office.officer, case=case, data={"role": "respondent", "kind": "individual", "name": name,
                                               "id_number": number, "address": ADDRESSES[i], "contact": PHONES[i]})
    name, number = INFORMANTS[i]
    add(actor=office.officer, case=case, data={"role": "informant", "kind": "individual", "name": name,
                                               "id_number": number, "contact": PHONES[(i + 1) % 3]})
    decision_date = decision_date or timezone.localdate()
    filed_on = min(case.lead_received_on, decision_date)
    Case.objects.filter(pk=case.pk).update(status="under_review", lead_received_on=filed_on, filed_on=filed_on)
    case_service.apply_action(actor=office.head, case_id=case.pk, name="decide", data={
        "outcome": "penalty", "decision_date": decision_date, "penalties": ["fine", "confiscate_goods"],
        "fine_amount": "50000.00", "decision_number": f"{office.agency.short_name}处罚〔2026〕{70 + i}号",
        "legal_basis": "《中华人民共和国商标法》第六十条第二款"})
    for record in DisclosureRecord.objects.filter(case=case):
        services.approve(actor=office.head, record_id=record.pk)
    return case


@pytest.fixture
def world():
    yichang, jingzhou = Office(), jingzhou_office()
    cast(yichang, OFFICERS[:4])
    cast(jingzhou, OFFICERS[4:])
    cases = [decided(yichang, 0, company="宜昌某某商贸有限公司"),
             decided(yichang, 1, company="宜昌另一食品有限公司", decision_date=timezone.localdate() - timedelta(days=20)),
             decided(jingzhou, 2, company="荆州某某茶业有限公司")]
    records = DisclosureRecord.objects.filter(case__in=cases)
    # A correction of an individual's record and of an enterprise's; one revoked.
    person = records.get(case=cases[0], party_kind="individual")
    services.correct(actor=yichang.head, record_id=person.pk, changes={"fine_amount": "30000.00"}, note="复议变更罚款")
    company = records.get(case=cases[1], party_kind="enterprise")
    services.correct(actor=yichang.head, record_id=company.pk, changes={"legal_basis": "《商标法》第六十条"},
                     note="更正处罚依据")
    revoked = records.get(case=cases[2], party_kind="individual")
    services.correct(actor=jingzhou.head, record_id=revoked.pk, changes={}, note="行政复议撤销", revoked=True)
    users = [u for o in (yichang, jingzhou) for u in (o.officer, o.officer2, o.reviewer, o.head)]
    return {"offices": (yichang, jingzhou), "records": list(records), "revoked": revoked, "users": users}


def secrets(world) -> list[str]:
    """What must appear on no public page, anywhere."""
    found = [name for name, _n in RESPONDENTS + INFORMANTS] + [number for _n, number in RESPONDENTS + INFORMANTS]
    found += OFFICERS + ADDRESSES + PHONES + FACTS + [fact[3:20] for fact in FACTS]
    found += [u.username for u in world["users"]] + [u.email for u in world["users"]]
    found += [f"{OFFICERS[0][:1]}法人{i}" for i in range(3)]  # the enterprises' legal representatives
    found += ["行政复议撤销"]  # the revoked record's note: it left the public with the record
    return found


def public_responses(world):
    """Every public page and feed, as (address, response)."""
    client = Client()
    yichang, jingzhou = world["offices"]
    today = timezone.localdate()
    portal, api = reverse("public-portal"), reverse("v1:public-disclosures")
    queries = [{}, {"q": "某某"}, {"q": credit_code(500)}, {"q": "张"}, {"q": RESPONDENTS[0][0]},
               {"agency": yichang.agency.code}, {"agency": jingzhou.agency.code}, {"ip_type": "trademark"},
               {"decided_after": (today - timedelta(days=30)).isoformat(), "decided_before": today.isoformat()},
               {"decided_after": "junk"}, {"page": "2"}]
    addresses = [(portal, q, {}) for q in queries] + [(portal, q, {"HTTP_HX_REQUEST": "true"}) for q in queries]
    addresses += [(reverse("public-disclosure-page", args=[r.pk]), {}, {}) for r in world["records"]]
    addresses += [(reverse("public-portal-feeds"), {}, {}), (reverse("public-disclosures-feed"), {}, {}),
                  (reverse("v1:public-disclosures-csv"), {}, {}),
                  (reverse("v1:public-disclosures-csv"), {"agency": yichang.agency.code}, {}),
                  (api, {"page_size": 100}, {}), (api, {"q": "某某"}, {}),
                  (reverse("v1:public-disclosure-changes"), {"since": 0, "limit": 1000}, {})]
    addresses += [(reverse("v1:public-disclosure", args=[r.pk]), {}, {}) for r in world["records"]]
    for url, params, headers in addresses:
        # The search box shows back what the visitor typed (their own words, not the record's).
        echoed = [f'value="{v}"' for v in params.values()] if url == portal else []
        yield f"{url}?{params}{' (htmx)' if headers else ''}", client.get(url, params, **headers), echoed


def test_the_scanner_finds_what_it_looks_for():
    number = RESPONDENTS[0][1]
    assert is_valid_id_number(number) and all(is_valid_id_number(n) for _name, n in RESPONDENTS + INFORMANTS)
    assert leaks(f"<td>{number}</td>") == [f"ID number {number}"]
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    assert not is_valid_id_number(wrong) and leaks(f"<td>{wrong}</td>") == []  # a wrong check digit is no ID number
    assert leaks(f"号码{number}。") == [f"ID number {number}"]  # inside Chinese text too
    assert leaks("91420500MA4F0K2W7A 张** 李*") == []  # a credit code and masked names
    assert leaks("当事人张三丰", secrets=["张三丰"]) == ["secret '张三丰'"]
    assert leaks("张**", secrets=["张三丰"]) == []


def test_no_public_page_shows_what_is_never_published(world):
    never = secrets(world)
    bodies = {}
    for address, response, echoed in public_responses(world):
        assert response.status_code in (200, 404), (address, response.status_code)
        body = body_of(response)
        bodies[address] = body
        assert leaks(body, secrets=never, allowed=echoed) == [], address
    everything = "\n".join(bodies.values())
    # The scan saw the public records: masked individuals and enterprises, the corrections.
    for shown in (mask_person_name(RESPONDENTS[0][0]), mask_person_name(RESPONDENTS[1][0]), "宜昌某某商贸有限公司",
                  "荆州某某茶业有限公司", credit_code(500), "复议变更罚款", "更正处罚依据"):
        assert shown in everything, shown
    # The revoked individual is on no page and in no feed; its page is the 404.
    revoked = world["revoked"]
    assert mask_person_name(RESPONDENTS[2][0]) not in everything
    gone = [a for a in bodies if a.startswith(reverse("public-disclosure-page", args=[revoked.pk]))]
    assert gone and "撤销公示" in bodies[gone[0]]
    assert len(bodies) >= 40
