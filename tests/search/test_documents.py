import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casehub import access
from casehub.models import Note, Party
from search.documents import build
from tests.factories import VALID_CREDIT_CODE, VALID_ID_NUMBER, Office, make_case, jingzhou_office

pytestmark = pytest.mark.django_db


def test_document_holds_what_search_needs_and_nothing_private():
    office = Office()
    other = jingzhou_office()
    case = make_case(office, campaign="铁拳")
    Party.objects.create(case=case, role="respondent", kind="enterprise", name="宜昌稻香酒业有限公司",
                         credit_code=VALID_CREDIT_CODE)
    Party.objects.create(case=case, role="respondent", kind="individual", name="张三", id_number=VALID_ID_NUMBER)
    Party.objects.create(case=case, role="informant", kind="individual", name="李举报", contact="13900000000")
    Note.objects.create(case=case, author=office.officer, agency=office.agency, text="当事人拒不配合")
    access.grant_case(case, other.agency)
    doc = build([case.pk])[case.pk]
    assert doc["party_names"] == ["宜昌稻香酒业有限公司", "张三"]
    assert doc["credit_codes"] == [VALID_CREDIT_CODE]
    assert doc["visible_to"] == sorted([office.agency.pk, other.agency.pk])
    assert doc["notes"] == ["当事人拒不配合"] and doc["campaign"] == "铁拳"
    case.refresh_from_db()
    assert doc["version"] == case.index_version > 1 and doc["regions"] == ["420500"]
    flat = str(doc)
    assert VALID_ID_NUMBER not in flat and "李举报" not in flat and "13900000000" not in flat


def test_missing_case_builds_none_and_queries_are_constant():
    office = Office()
    ids = [make_case(office).pk for _ in range(3)]
    with CaptureQueriesContext(connection) as few:
        build(ids[:1])
    more = ids + [make_case(office).pk for _ in range(10)]
    with CaptureQueriesContext(connection) as many:
        docs = build(more + [999999])
    assert len(few) == len(many)
    assert docs[999999] is None and all(docs[i] for i in more)


def test_index_version_moves_with_every_document_change_and_never_back(api):
    from casehub.models import Case

    office = Office()
    case = make_case(office)
    start = Case.objects.get(pk=case.pk).index_version
    api.force_authenticate(office.officer)
    api.post(f"/api/v1/cases/{case.pk}/notes/", {"text": "补充说明"}, format="json")
    after_note = Case.objects.get(pk=case.pk).index_version
    assert after_note == start + 1
    stale = Case.objects.get(pk=case.pk)
    api.force_authenticate(office.head)
    api.post(f"/api/v1/cases/{case.pk}/transitions/", {"action": "file"}, format="json")
    stale.title = "另一个标题"
    stale.save()  # a full save of an instance read before the transition
    assert Case.objects.get(pk=case.pk).index_version == after_note + 1
