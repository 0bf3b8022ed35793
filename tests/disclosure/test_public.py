"""The public side: the list, the page, Atom, CSV and the incremental feed;
nothing that is not public leaks; bad input is a 400, floods a 429."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from casehub.models import Case
from disclosure import services
from disclosure.models import DisclosureRecord
from disclosure.throttling import PublicThrottle
from tests.factories import VALID_ID_NUMBER, Office

from .helpers import FACTS, INFORMANT, PERSON, decided_case

pytestmark = pytest.mark.django_db
PUBLIC = "/api/v1/public/disclosures/"


@pytest.fixture
def office():
    return Office()


def publish_all(office, **kwargs):
    case = decided_case(office, **kwargs)
    for record in DisclosureRecord.objects.filter(case=case):
        services.approve(actor=office.head, record_id=record.pk)
    return case


def follow(client, since=0, limit=2) -> dict[int, dict]:
    """A credit platform's consumer: page through the changes, applying each."""
    held: dict[int, dict] = {}
    while True:
        page = client.get(f"{PUBLIC}changes/", {"since": since, "limit": limit}).json()
        for change in page["changes"]:
            if change["kind"] in ("published", "corrected"):
                held[change["record"]] = change["record_data"]
            else:
                held.pop(change["record"], None)
        since = page["next"]
        if not page["has_more"]:
            return held


def public_set(client) -> dict[int, dict]:
    found, page = {}, 1
    while True:
        body = client.get(PUBLIC, {"page": page, "page_size": 100}).json()
        found.update({r["id"]: r for r in body["results"]})
        if not body["has_more"]:
            return found
        page += 1


def test_a_consumer_following_the_feed_from_0_holds_exactly_the_public_set(office):
    client = Client()
    cases = [publish_all(office, number=f"宜市监处罚〔2026〕{i}号") for i in range(2)]
    company = DisclosureRecord.objects.filter(case=cases[0], party_kind="enterprise").get()
    person = DisclosureRecord.objects.filter(case=cases[1], party_kind="individual").get()
    halfway = follow(client)  # a consumer that started early...
    services.correct(actor=office.head, record_id=company.pk, changes={"fine_amount": "90000.00"}, note="复议变更")
    services.correct(actor=office.head, record_id=person.pk, changes={}, note="撤销", revoked=True)
    # ...and one record whose publicity ended without the expiry task having run.
    short = publish_all(office, penalties=("circular",), number="宜市监处罚〔2026〕99号", person=False)
    DisclosureRecord.objects.filter(case=short).update(publicity_ends_on=timezone.localdate() - timedelta(days=1))
    expected = public_set(client)
    assert len(expected) == 3 and company.pk in expected and person.pk not in expected
    assert follow(client) == expected  # from 0
    last = client.get(f"{PUBLIC}changes/", {"since": 0, "limit": 1000}).json()["next"]
    assert client.get(f"{PUBLIC}changes/", {"since": last}).json() == {"changes": [], "next": last,
                                                                        "has_more": False}
    assert halfway != expected


def test_nothing_that_is_not_public_leaks(office):
    case = publish_all(office)
    officer_bits = {office.officer.username, office.head.username, office.officer.display_name,
                    office.head.display_name, office.reviewer.username}
    client = Client()
    records = list(DisclosureRecord.objects.filter(case=case).values_list("pk", flat=True))
    outputs = {
        "list": client.get(PUBLIC).content.decode(),
        "details": "".join(client.get(f"{PUBLIC}{pk}/").content.decode() for pk in records),
        "changes": client.get(f"{PUBLIC}changes/").content.decode(),
        "csv": b"".join(client.get(f"{PUBLIC}export.csv").streaming_content).decode(),
        "atom": client.get("/public/disclosures/feed.atom").content.decode(),
        "pages": "".join(client.get(f"/public/disclosures/{pk}/").content.decode() for pk in records),
    }
    for name, text in outputs.items():
        # What is public is there: the enterprise and the masked individual...
        assert "宜昌某某商贸有限公司" in text and "张**" in text, name
        # ...and nothing else.
        assert VALID_ID_NUMBER not in text and PERSON not in text, name
        assert INFORMANT not in text and FACTS[:12] not in text, name
        assert not any(bit in text for bit in officer_bits if len(bit) > 2), name
    assert Case.objects.get(pk=case.pk).facts == FACTS  # still there, just not public


def everything_public(client) -> str:
    """Every public output as text: the list's pages, CSV, Atom and the
    change feed from 0."""
    text = [str(public_set(client)), b"".join(client.get(f"{PUBLIC}export.csv").streaming_content).decode(),
            client.get("/public/disclosures/feed.atom").content.decode()]
    since = 0
    while True:
        page = client.get(f"{PUBLIC}changes/", {"since": since, "limit": 2})
        text.append(page.content.decode())
        since = page.json()["next"]
        if not page.json()["has_more"]:
            return "".join(text)


def test_what_left_the_public_set_is_gone_from_every_public_output(office):
    """Repaired, revoked, expired (by the passing of time alone) and never
    approved: none of them is anywhere a client can read, the change
    feed's history included."""
    today = timezone.localdate()
    names = {}

    def record(label, **kwargs):
        names[label] = f"宜昌{label}商贸有限公司"
        case = decided_case(office, company=names[label], number=f"宜市监处罚〔2026〕{len(names)}号", person=False,
                            **kwargs)
        return DisclosureRecord.objects.get(case=case)

    repaired, revoked, ended, pending, public = (record(label) for label in ("甲", "乙", "丙", "丁", "戊"))
    services.approve(actor=office.head, record_id=repaired.pk, today=today - timedelta(days=200))
    repaired.refresh_from_db()
    repair = services.apply_repair(actor=office.officer, record_id=repaired.pk, applicant=names["甲"],
                                   reason="已整改", applied_on=repaired.repair_possible_from)
    services.decide_repair(actor=office.head, repair_id=repair.pk, approve_it=True)
    services.approve(actor=office.head, record_id=revoked.pk)
    services.correct(actor=office.head, record_id=revoked.pk, changes={}, note="撤销", revoked=True)
    DisclosureRecord.objects.filter(pk=ended.pk).update(penalties=["circular"], fine_amount=None)
    services.approve(actor=office.head, record_id=ended.pk, today=today - timedelta(days=100))  # 3 months
    services.approve(actor=office.head, record_id=public.pk)

    client = Client()
    gone = [repaired, revoked, ended, pending]
    for r in gone:
        assert client.get(f"{PUBLIC}{r.pk}/").status_code == 404
        assert client.get(f"/public/disclosures/{r.pk}/").status_code == 404
    ended.refresh_from_db()
    assert ended.status == "published"  # no task has run: it left the public set by itself
    text = everything_public(client)
    assert names["戊"] in text
    for label in ("甲", "乙", "丙", "丁"):
        assert names[label] not in text, label
    assert follow(client) == public_set(client) and list(public_set(client)) == [public.pk]
    # Kept for the agencies, with the repair.
    repaired.refresh_from_db()
    assert repaired.status == "withdrawn" and repaired.repairs.get().status == "approved"


@pytest.mark.parametrize("path,params,field", [
    ("changes/", {"since": "abc"}, "since"),
    ("changes/", {"since": "1.5"}, "since"),
    ("changes/", {"since": "-1"}, "since"),
    ("changes/", {"since": "999999"}, "since"),  # beyond the end
    ("changes/", {"since": "9" * 30}, "since"),
    ("changes/", {"limit": "5000"}, "limit"),
    ("changes/", {"limit": "0"}, "limit"),
    ("", {"page_size": "1000"}, "page_size"),
    ("", {"page_size": "0"}, "page_size"),
    ("", {"page": "0"}, "page"),
    ("", {"page": "9" * 30}, "page"),
    ("", {"decided_after": "2026-05-01", "decided_before": "2026-01-01"}, "decided_before"),
    ("", {"decided_after": "not-a-date"}, "decided_after"),
    ("", {"decided_before": "2026-02-30"}, "decided_before"),
    ("", {"ip_type": "nonsense"}, "ip_type"),
    ("", {"q": "x" * 101}, "q"),
    ("", {"q": "宜昌\x00"}, "q"),
    ("export.csv", {"decided_after": "2026-05-01", "decided_before": "2026-01-01"}, "decided_before"),
    ("export.csv", {"agency": "\x00"}, "agency"),
])
def test_bad_input_is_400_with_the_field_named(office, path, params, field):
    publish_all(office)
    response = Client().get(f"{PUBLIC}{path}", params)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.content


def test_empty_parameters_are_not_given_and_unknown_ids_are_404(office):
    publish_all(office)
    client = Client()
    empty = {"q": "", "agency": "", "ip_type": "", "decided_after": "", "decided_before": ""}
    assert len(client.get(PUBLIC, empty).json()["results"]) == 2
    assert client.get(f"{PUBLIC}changes/", {"since": ""}).status_code == 200
    for pk in ("0", "99999999", "9" * 30):
        assert client.get(f"{PUBLIC}{pk}/").status_code == 404
        assert client.get(f"/public/disclosures/{pk}/").status_code == 404


def test_floods_get_429(office, monkeypatch):
    monkeypatch.setattr(PublicThrottle, "rate", "5/min", raising=False)
    client = Client()
    codes = [client.get(PUBLIC).status_code for _ in range(5)]
    assert codes == [200] * 5
    assert client.get(PUBLIC).status_code == 429
    # One budget for all public doors.
    for path in ("/public/disclosures/feed.atom", "/public/disclosures/1/", f"{PUBLIC}1/", f"{PUBLIC}changes/",
                 f"{PUBLIC}export.csv"):
        response = client.get(path)
        assert response.status_code == 429 and int(response["Retry-After"]) > 0, path
    assert Client(REMOTE_ADDR="10.9.9.9").get(PUBLIC).status_code == 200  # another client is not held back


def test_search_by_enterprise_name_or_code_never_by_a_persons_name(office):
    publish_all(office)
    client = Client()
    assert len(client.get(PUBLIC, {"q": "某某商贸"}).json()["results"]) == 1
    assert len(client.get(PUBLIC, {"q": "91350100m000100y43"}).json()["results"]) == 1
    assert client.get(PUBLIC, {"q": PERSON}).json()["results"] == []


def test_the_csv_never_carries_a_spreadsheet_formula(office):
    publish_all(office, company="=HYPERLINK(\"http://x.example\",\"宜昌\")有限公司", person=False)
    rows = b"".join(Client().get(f"{PUBLIC}export.csv").streaming_content).decode().lstrip("\ufeff")
    [header, row] = list(csv.reader(io.StringIO(rows)))
    assert row[header.index("party_name")] == "'=HYPERLINK(\"http://x.example\",\"宜昌\")有限公司"
    assert row[header.index("fine_amount")] == "150000.00"
