import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casehub import access
from casehub.models import AuditEntry, Case, Party, TimelineEvent
from tests.factories import VALID_CREDIT_CODE, VALID_ID_NUMBER, AgencyFactory, Office, make_case, member, jingzhou_office

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/"


@pytest.fixture
def office():
    return Office()


@pytest.fixture
def other():
    return jingzhou_office()


def new_case_payload(office, **extra):
    return {
        "title": "销售侵犯“三峡”注册商标专用权的茶叶案",
        "ip_type": "trademark",
        "kind": "administrative_penalty",
        "source": "inspection",
        "region": office.region.code,
        "facts": "执法人员在某茶叶店检查发现标有“三峡”商标的茶叶礼盒。",
        "amount_involved": "12500.50",
        "handlers": [office.officer2.username],
        **extra,
    }


class TestCreate:
    def test_officer_opens_a_case_with_an_official_number(self, api, office):
        api.force_authenticate(office.officer)
        response = api.post(URL, new_case_payload(office, parties=[
            {"role": "respondent", "kind": "enterprise", "name": "宜昌某茶业有限公司", "credit_code": VALID_CREDIT_CODE},
        ]), format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        year = timezone.localdate().year
        assert body["number"] == f"宜市监知立〔{year}〕1号"
        assert body["status"] == "lead" and body["version"] >= 1
        assert body["next_deadline"]["name"] == "filing"
        assert body["next_deadline"]["working_days_left"] == 15 or body["next_deadline"]["warning"]
        assert {h["username"] for h in body["handlers"]} == {office.officer.username, office.officer2.username}
        assert body["parties"][0]["credit_code"] == VALID_CREDIT_CODE
        assert response["ETag"] == f'"{body["version"]}"'
        case = Case.objects.get()
        assert list(case.timeline.values_list("kind", flat=True)) == ["created", "party_added"]
        assert AuditEntry.objects.filter(action="case.create", object_id=str(case.pk)).exists()

    def test_numbers_count_up_per_agency_and_year(self, api, office, other):
        first, second = make_case(office), make_case(office)
        elsewhere = make_case(other)
        assert first.number.endswith("〕1号") and second.number.endswith("〕2号")
        assert elsewhere.number.startswith("荆市监知立〔") and elsewhere.number.endswith("〕1号")

    @pytest.mark.parametrize(
        "change,field",
        [
            ({"amount_involved": "-1"}, "amount_involved"),
            ({"ip_type": "magic"}, "ip_type"),
            ({"region": "999999"}, "region"),
            ({"title": ""}, "title"),
            ({"lead_received_on": "2999-01-01"}, "lead_received_on"),
            ({"handlers": ["nobody-here"]}, "handlers"),
            ({"parties": [{"role": "respondent", "kind": "enterprise", "name": "甲", "credit_code": "91350100M000100Y44"}]}, "parties"),
            ({"parties": [{"role": "respondent", "kind": "individual", "name": "张三", "id_number": "110105194912310021"}]}, "parties"),
        ],
    )
    def test_bad_input_is_400_with_the_field_and_stores_nothing(self, api, office, change, field):
        api.force_authenticate(office.officer)
        response = api.post(URL, {**new_case_payload(office), **change}, format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()
        assert not Case.objects.exists() and not Party.objects.exists() and not TimelineEvent.objects.exists()

    def test_handler_from_another_agency_is_refused(self, api, office, other):
        api.force_authenticate(office.officer)
        response = api.post(URL, new_case_payload(office, handlers=[other.officer.username]), format="json")
        assert response.status_code == 400 and "handlers" in response.json()

    def test_cannot_open_a_case_for_another_agency(self, api, office, other):
        api.force_authenticate(office.officer)
        response = api.post(URL, new_case_payload(office, agency=other.agency.pk), format="json")
        assert response.status_code == 400 and "agency" in response.json()
        assert not Case.objects.exists()

    def test_malformed_json_is_400(self, api, office):
        api.force_authenticate(office.officer)
        response = api.generic("POST", URL, '{"title": ', content_type="application/json")
        assert response.status_code == 400 and not Case.objects.exists()


class TestIsolation:
    def paths(self, case):
        base = f"{URL}{case.pk}/"
        return [base, f"{base}timeline/", f"{base}notes/", f"{base}parties/"]

    def test_another_agency_sees_nothing_on_any_path(self, api, office, other):
        case = make_case(office)
        Party.objects.create(case=case, role="respondent", kind="enterprise", name="宜昌某公司", credit_code=VALID_CREDIT_CODE)
        api.force_authenticate(other.head)
        listed = api.get(URL).json()
        assert listed["results"] == []
        assert api.get(URL, {"party": "宜昌某公司"}).json()["results"] == []
        for path in self.paths(case):
            assert api.get(path).status_code == 404, path
        assert api.patch(f"{URL}{case.pk}/", {"title": "x", "version": case.version}, format="json").status_code == 404
        assert api.post(f"{URL}{case.pk}/transitions/", {"action": "file"}, format="json").status_code == 404
        assert api.post(f"{URL}{case.pk}/notes/", {"text": "窥探"}, format="json").status_code == 404
        assert api.post(f"{URL}{case.pk}/parties/", {"role": "informant", "kind": "individual", "name": "某"}, format="json").status_code == 404
        case.refresh_from_db()
        assert case.title != "x" and not case.notes.exists()
        denied = AuditEntry.objects.filter(result="denied", object_id=str(case.pk), user=other.head)
        assert denied.count() >= 6

    def test_a_404_for_a_hidden_case_matches_a_missing_one(self, api, office, other):
        case = make_case(office)
        api.force_authenticate(other.officer)
        hidden = api.get(f"{URL}{case.pk}/")
        missing = api.get(f"{URL}{case.pk + 1000}/")
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json()

    def test_platform_admin_without_membership_sees_no_cases(self, api, office):
        from tests.factories import UserFactory

        make_case(office)
        api.force_authenticate(UserFactory(is_superuser=True, is_staff=True))
        assert api.get(URL).json()["results"] == []

    def test_shared_agency_reads_but_cannot_act(self, api, office, other):
        case = make_case(office)
        access.grant_case(case, other.agency)
        api.force_authenticate(other.head)
        assert api.get(f"{URL}{case.pk}/").status_code == 200
        assert [c["id"] for c in api.get(URL).json()["results"]] == [case.pk]
        assert api.patch(f"{URL}{case.pk}/", {"title": "改", "version": case.version}, format="json").status_code == 403
        response = api.post(f"{URL}{case.pk}/transitions/", {"action": "file"}, format="json")
        assert response.status_code == 403
        assert api.get(f"{URL}{case.pk}/").json()["available_actions"] == []

    def test_ended_membership_loses_access_at_once(self, api, office):
        case = make_case(office)
        api.force_authenticate(office.officer2)
        assert api.get(f"{URL}{case.pk}/").status_code == 200
        office.officer2.memberships.update(ended_at=timezone.now())
        for m in office.officer2.memberships.all():
            m.save()  # the signal path
        # A new request loads the user afresh (roles are cached per request).
        api.force_authenticate(type(office.officer2).objects.get(pk=office.officer2.pk))
        assert api.get(f"{URL}{case.pk}/").status_code == 404


class TestListing:
    def test_query_count_is_the_same_for_page_size_1_and_50(self, api, office):
        for _ in range(60):
            make_case(office)
        api.force_authenticate(office.officer)
        api.get(URL, {"page_size": 1})  # warm the calendar cache
        counts = []
        for size in (1, 50):
            with CaptureQueriesContext(connection) as queries:
                response = api.get(URL, {"page_size": size, "status": "lead", "ip_type": "trademark"})
            assert len(response.json()["results"]) == size
            counts.append(len(queries))
        assert counts[0] == counts[1], counts

    def test_cursor_pages_cover_everything_once(self, api, office):
        ids = {make_case(office).pk for _ in range(7)}
        api.force_authenticate(office.officer)
        seen, url = [], URL + "?page_size=3"
        while url:
            body = api.get(url).json()
            seen += [c["id"] for c in body["results"]]
            url = body["next"]
        assert sorted(seen) == sorted(ids) and len(seen) == 7

    def test_filters(self, api, office):
        a = make_case(office, ip_type="copyright", campaign="剑网")
        b = make_case(office)
        Party.objects.create(case=b, role="respondent", kind="enterprise", name="宜昌稻香酒业有限公司",
                             credit_code=VALID_CREDIT_CODE)
        Party.objects.create(case=a, role="informant", kind="individual", name="王线人")
        api.force_authenticate(office.officer)

        def ids(**params):
            response = api.get(URL, params)
            assert response.status_code == 200, response.content
            return [c["id"] for c in response.json()["results"]]

        assert ids(ip_type="copyright") == [a.pk]
        assert ids(campaign="剑网") == [a.pk]
        assert ids(party="稻香") == [b.pk]
        assert ids(party=VALID_CREDIT_CODE) == [b.pk]
        assert ids(party="王线人") == []  # informants are not searchable
        assert set(ids(region="420500")) == {a.pk, b.pk}
        assert ids(overdue="true") == []
        Case.objects.filter(pk=a.pk).update(next_deadline_on=timezone.localdate() - timedelta(days=1))
        assert ids(overdue="true") == [a.pk]

    @pytest.mark.parametrize(
        "params,field",
        [({"status": "bogus"}, "status"), ({"region": "999999"}, "region"),
         ({"lead_received_after": "2026-05-01", "lead_received_before": "2026-01-01"}, "lead_received"),
         ({"lead_received_after": "not-a-date"}, "lead_received_after")],
    )
    def test_bad_filters_are_400(self, api, office, params, field):
        api.force_authenticate(office.officer)
        response = api.get(URL, params)
        assert response.status_code == 400
        assert field in response.json()


class TestConcurrency:
    def test_second_writer_with_a_stale_version_gets_409_and_changes_nothing(self, api, office):
        case = make_case(office)
        api.force_authenticate(office.officer)
        version = api.get(f"{URL}{case.pk}/")["ETag"].strip('"')
        first = api.patch(f"{URL}{case.pk}/", {"title": "第一个修改"}, format="json", HTTP_IF_MATCH=f'"{version}"')
        assert first.status_code == 200
        second = api.patch(f"{URL}{case.pk}/", {"facts": "第二个修改"}, format="json", HTTP_IF_MATCH=f'"{version}"')
        assert second.status_code == 409
        assert second.json()["current_version"] == first.json()["version"]
        case.refresh_from_db()
        assert case.title == "第一个修改" and case.facts != "第二个修改"

    def test_version_is_required(self, api, office):
        case = make_case(office)
        api.force_authenticate(office.officer)
        response = api.patch(f"{URL}{case.pk}/", {"title": "无版本"}, format="json")
        assert response.status_code == 400 and "version" in response.json()
        case.refresh_from_db()
        assert case.title != "无版本"

    def test_transition_with_a_stale_version_is_409(self, api, office):
        case = make_case(office)
        api.force_authenticate(office.head)
        stale = case.version
        api.post(f"{URL}{case.pk}/notes/", {"text": "备注"}, format="json")
        assert api.patch(f"{URL}{case.pk}/", {"title": "新标题", "version": stale}, format="json").status_code == 200
        response = api.post(f"{URL}{case.pk}/transitions/", {"action": "file", "version": stale}, format="json")
        assert response.status_code == 409
        case.refresh_from_db()
        assert case.status == "lead"

    def test_edit_is_in_the_timeline_with_before_and_after(self, api, office):
        case = make_case(office)
        api.force_authenticate(office.officer)
        api.patch(f"{URL}{case.pk}/", {"amount_involved": "90000.00", "version": case.version}, format="json")
        event = case.timeline.get(kind="edited")
        assert event.data == {"before": {"amount_involved": "86000.00"}, "after": {"amount_involved": "90000.00"}}


class TestParties:
    def test_id_numbers_and_informants_are_shown_by_role(self, api, office, other):
        case = make_case(office)
        api.force_authenticate(office.officer)
        api.post(f"{URL}{case.pk}/parties/", {"role": "respondent", "kind": "individual", "name": "张三",
                                               "id_number": VALID_ID_NUMBER, "contact": "13800000000"}, format="json")
        created = api.post(f"{URL}{case.pk}/parties/", {"role": "informant", "kind": "individual", "name": "李举报",
                                                         "contact": "13900000000"}, format="json")
        assert created.status_code == 201
        # An officer of the owner: full ID, informant hidden.
        parties = {p["role"]: p for p in api.get(f"{URL}{case.pk}/parties/").json()}
        assert parties["respondent"]["id_number"] == VALID_ID_NUMBER
        assert parties["informant"]["name"] != "李举报" and parties["informant"]["contact"] == ""
        # The owner's reviewer sees the informant.
        api.force_authenticate(office.reviewer)
        parties = {p["role"]: p for p in api.get(f"{URL}{case.pk}/parties/").json()}
        assert parties["informant"]["name"] == "李举报"
        # A shared agency: masked ID, no informant.
        access.grant_case(case, other.agency)
        api.force_authenticate(other.head)
        body = api.get(f"{URL}{case.pk}/").json()
        text = str(body) + str(api.get(f"{URL}{case.pk}/timeline/").json())
        assert VALID_ID_NUMBER not in text and "李举报" not in text and "13900000000" not in text
        assert re.fullmatch(r"110105\*{11}X", {p["role"]: p for p in body["parties"]}["respondent"]["id_number"])

    @pytest.mark.parametrize(
        "payload,field",
        [
            ({"kind": "enterprise", "name": "甲公司", "credit_code": "91350100M000100Y44"}, "credit_code"),
            ({"kind": "individual", "name": "张三", "id_number": "110105194912310021"}, "id_number"),
            ({"kind": "enterprise", "name": "甲公司", "id_number": VALID_ID_NUMBER}, "id_number"),
            ({"kind": "alien", "name": "甲"}, "kind"),
        ],
    )
    def test_invalid_codes_are_400_and_store_nothing(self, api, office, payload, field):
        case = make_case(office)
        api.force_authenticate(office.officer)
        response = api.post(f"{URL}{case.pk}/parties/", {"role": "respondent", **payload}, format="json")
        assert response.status_code == 400 and field in response.json()
        assert not case.parties.exists()
        case.refresh_from_db()
        assert case.version == 1


class TestNotesAndTimeline:
    def test_notes_and_timeline_in_order(self, api, office):
        case = make_case(office)
        api.force_authenticate(office.officer)
        for text in ("第一条", "第二条"):
            assert api.post(f"{URL}{case.pk}/notes/", {"text": text}, format="json").status_code == 201
        notes = api.get(f"{URL}{case.pk}/notes/").json()["results"]
        assert [n["text"] for n in notes] == ["第一条", "第二条"]
        kinds = [e["kind"] for e in api.get(f"{URL}{case.pk}/timeline/").json()["results"]]
        assert kinds == ["created", "note", "note"]

    def test_empty_note_is_400(self, api, office):
        case = make_case(office)
        api.force_authenticate(office.officer)
        assert api.post(f"{URL}{case.pk}/notes/", {"text": ""}, format="json").status_code == 400
        assert not case.notes.exists()

    def test_detail_read_is_audited(self, api, office):
        case = make_case(office)
        api.force_authenticate(office.reviewer)
        api.get(f"{URL}{case.pk}/", REMOTE_ADDR="10.1.2.3")
        entry = AuditEntry.objects.get(action="case.read")
        assert (entry.user, entry.agency_id, entry.ip_address, entry.result) == (
            office.reviewer, office.agency.pk, "10.1.2.3", "allowed")


def test_schema_documents_the_case_api(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/cases/", "/api/v1/cases/{id}/transitions/", "/api/v1/cases/{id}/timeline/",
                 "/api/v1/cases/{id}/notes/", "/api/v1/cases/{id}/parties/"):
        assert path in schema


def test_unused_import_guard():
    assert AgencyFactory and member


def test_list_rows_equal_the_documented_serializer(api):
    """The list's rows come straight from SQL; they must match
    CaseListSerializer (the schema) exactly, through the real endpoint."""
    import json
    from datetime import timedelta as td

    from casehub.api.case_serializers import CaseListSerializer
    from casehub.calendar import working_calendar

    office = Office()
    cases = [make_case(office, amount_involved=Decimal("1234.5")), make_case(office, amount_involved=None, campaign="铁拳"),
             make_case(office, lead_received_on=timezone.localdate() - td(days=50))]
    api.force_authenticate(office.officer)
    listed = api.get(URL).json()["results"]
    chosen = Case.objects.filter(pk__in=[c.pk for c in cases]).order_by("-id").select_related("owning_agency")
    documented = CaseListSerializer(chosen, many=True, context={"calendar": working_calendar()}).data
    assert listed == json.loads(json.dumps(documented, default=str))


# PostgreSQL serialises audit appends with an advisory lock: one statement more.
CHAIN_LOCK = int(connection.vendor == "postgresql")


class TestQueryCounts:
    """The detail and the parties are audited reads: the case with its
    handlers and parties (3), whether its clock is stopped (1, the detail's
    available actions), the audit entry (the chain's head and the insert: 2),
    and the act's savepoint (2: tests run inside a transaction)."""

    def test_detail(self, api, office, django_assert_num_queries):
        case = make_case(office)
        Party.objects.create(case=case, role="respondent", kind="individual", name="张三", id_number=VALID_ID_NUMBER)
        api.force_authenticate(office.officer)
        api.get(f"{URL}{case.pk}/")  # the officer's memberships, the calendar
        with django_assert_num_queries(8 + CHAIN_LOCK):
            assert api.get(f"{URL}{case.pk}/").status_code == 200

    def test_parties(self, api, office, django_assert_num_queries):
        case = make_case(office)
        Party.objects.create(case=case, role="respondent", kind="individual", name="张三", id_number=VALID_ID_NUMBER)
        api.force_authenticate(office.officer)
        api.get(f"{URL}{case.pk}/")
        with django_assert_num_queries(6 + CHAIN_LOCK):  # the case, its parties, the entry (2), the savepoint (2)
            assert len(api.get(f"{URL}{case.pk}/parties/").json()) == 1
