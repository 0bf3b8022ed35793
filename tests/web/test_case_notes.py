"""The notes tab: the case's notes, adding one (HTMX or not), @mention
completion and the notification a mention sends."""

import pytest
from django.urls import reverse

from casehub.models import Note
from casehub.services.cases import add_note
from notifications.models import Notification
from tests.factories import make_case

from .case_tabs import assert_hidden_and_audited, assert_sign_in_redirect, sharing_office
from .helpers import assert_constant_queries, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(office):
    return make_case(office)


def notes_url(case):
    return reverse("web:case-notes", args=[case.pk])


def mentions_url(case, q=""):
    return reverse("web:case-mentions", args=[case.pk]) + f"?q={q}"


def test_anonymous_is_sent_to_sign_in(case):
    assert_sign_in_redirect(notes_url(case))
    assert_sign_in_redirect(reverse("web:case-mentions", args=[case.pk]))


def test_an_outsider_finds_no_notes_no_form_and_no_colleagues(case, outsider):
    entry = assert_hidden_and_audited(outsider, notes_url(case), "case.notes")
    assert entry.owner_agency_id == case.owning_agency_id and entry.object_id == str(case.pk)
    assert_hidden_and_audited(outsider, mentions_url(case, "4"), "case.mentions")
    assert_hidden_and_audited(outsider, notes_url(case), "case.add_note", method="post", text="@x 试探")
    assert not Note.objects.exists()


def test_notes_show_author_agency_and_time_newest_last(case, office):
    add_note(actor=office.officer, case=case.pk, text="第一条：已联系权利人。")
    add_note(actor=office.reviewer, case=case.pk, text="第二条：请补充鉴定意见。")
    response = signed_in(office.head).get(notes_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("第一条") < html.index("第二条")
    assert office.reviewer.display_name in html and office.agency.name in html
    assert 'aria-current="page">办案笔记' in html or "办案笔记" in html
    assert 'data-mentions-url="%s"' % reverse("web:case-mentions", args=[case.pk]) in html
    assert "casehub/mentions.js" in html


def test_notes_page_back_to_earlier_ones(case, office):
    for i in range(25):
        add_note(actor=office.officer, case=case.pk, text=f"笔记{i:02d}号")
    client = signed_in(office.officer)
    newest = client.get(notes_url(case)).content.decode()
    assert "笔记24号" in newest and "笔记05号" in newest and "笔记04号" not in newest
    earliest_shown = Note.objects.get(text="笔记05号").pk
    assert f"?before={earliest_shown}" in newest
    earlier = client.get(notes_url(case) + f"?before={earliest_shown}", HTTP_HX_REQUEST="true")
    body = earlier.content.decode()
    assert "笔记00号" in body and "笔记04号" in body and "笔记05号" not in body
    assert 'id="note-form"' not in body  # only the list fragment
    assert "?after=" in body  # and the way back to the newer notes


def test_a_note_is_added_and_appended_by_htmx(case, office):
    client = signed_in(office.officer2)
    response = client.post(notes_url(case), {"text": "现场复核完毕。"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    note = Note.objects.get()
    assert (note.author, note.agency, note.text) == (office.officer2, office.agency, "现场复核完毕。")
    body = response.content.decode()
    assert 'hx-swap-oob="beforeend:#notes-list"' in body and f'id="note-{note.pk}"' in body
    assert 'id="note-form"' in body and "现场复核完毕。</textarea>" not in body  # a blank form again


def test_a_note_without_script_redirects_to_the_list(case, office):
    response = signed_in(office.officer).post(notes_url(case), {"text": "无脚本提交。"})
    note = Note.objects.get()
    assert response.status_code == 302 and response["Location"] == notes_url(case) + f"#note-{note.pk}"


def test_an_agency_the_case_is_shared_with_may_note_it_too(case):
    police = sharing_office(case)
    response = signed_in(police.officer).post(notes_url(case), {"text": "公安已接收线索。"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert Note.objects.get().agency == police.agency


def test_an_empty_note_is_refused_at_the_field_and_nothing_stored(case, office):
    client = signed_in(office.officer)
    response = client.post(notes_url(case), {"text": "   "}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<ul class="errorlist" id="note-text-errors"><li>请填写备注内容。</li></ul>' in body
    assert 'aria-invalid="true"' in body
    assert not Note.objects.exists()
    # A note too long for the API is refused here too, the text kept, the attempt audited.
    from tests.audit.trail import Trail

    trail = Trail()
    response = client.post(notes_url(case), {"text": "长" * 20001})
    body = response.content.decode()
    assert response.status_code == 400 and "note-text-errors" in body and 'class="form-summary"' in body
    assert "长" * 20001 + "</textarea>" in body
    assert trail.denied("case.add_note").detail["refusal"] == "invalid"
    assert not Note.objects.exists()


def test_mention_completion_offers_only_people_who_see_the_case(case, office, outsider):
    police = sharing_office(case)
    client = signed_in(office.officer)
    found = client.get(mentions_url(case, "420500scjg-")).json()["results"]
    names = {p["username"] for p in found}
    assert office.head.username in names and office.reviewer.username in names
    assert office.officer.username not in names  # not oneself
    assert outsider.username not in names
    assert {p["username"] for p in client.get(mentions_url(case, "420500ga")).json()["results"]} >= {
        police.officer.username}
    # By name as well as by username, with the "@" the user typed.
    office.head.full_name = "陈军"
    office.head.save()
    assert [p["username"] for p in client.get(mentions_url(case, "@陈")).json()["results"]] == [office.head.username]
    assert client.get(mentions_url(case, outsider.username)).json()["results"] == []


def test_a_mention_written_in_the_ui_notifies_the_colleague(case, office, outsider):
    client = signed_in(office.officer)
    client.post(notes_url(case), {"text": f"@{office.head.username} 请审阅，@{outsider.username} 知悉"},
                HTTP_HX_REQUEST="true")
    told = Notification.objects.filter(kind="mentioned")
    assert list(told.values_list("recipient", flat=True)) == [office.head.pk]
    assert told.get().case_id == case.pk


def test_notes_cost_the_same_queries_for_1_and_50(case, office):
    def grow(n):
        while Note.objects.filter(case=case).count() < n:
            add_note(actor=office.officer, case=case.pk, text="例行记录")

    assert_constant_queries(signed_in(office.officer), notes_url(case), grow)
