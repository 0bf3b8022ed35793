"""The parts of pages drawn in Python for speed (the case list's filter
bar, the frame's top bar, bell and navigation) draw what Django's bound
fields and the templates drew: the same markup, escaped, in the reader's
language; the bell's count exact."""

import pytest
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import get_language, override

from casehub.rules.refusal import Refused
from casehub.web import case_filter_bar
from casehub.web.case_filters import CaseFilterForm
from notifications.inbox import mark_read, store, unread_count
from notifications.models import Notification

from .helpers import signed_in

pytestmark = pytest.mark.django_db
HOSTILE = "<b>\"x\"&'y'</b>"
REGIONS = [("420000", "湖北省"), ("420500", "　宜昌<市>"), ("42&05", HOSTILE)]


def query(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


@pytest.mark.parametrize("data", [
    {},
    {"status": ["investigating", "closed"], "ip_type": "trademark", "order": "deadline", "region": "42&05"},
    {"party": HOSTILE, "campaign": HOSTILE, "kind": "", "due_before": "2026-13-45", "filed_after": "2026-01-01",
     "overdue": "true", "status": [HOSTILE, "lead"], "region": "420500", "mine": "true"},
    {"mine": "false"},
    {"mine": HOSTILE},
    {"created_before": "", "lead_received_after": HOSTILE, "ip_type": ["patent", "trademark"]},
])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_field_is_drawn_as_its_bound_field_draws_it(data, language):
    with override(language):
        form = CaseFilterForm(query(**data), regions=lambda: REGIONS)
        for name in form.fields:
            assert case_filter_bar._widget(form, name, get_language()) == str(form[name]), name
        html = case_filter_bar.draw(form, (("party", "ip_type"), ("region", "overdue")), more_open=False)
        for name in ("status", "party", "ip_type", "region", "overdue"):
            assert escape(capfirst(str(form[name].label))) in html
            assert f'<div class="field-errors" id="errors-{name}"></div>' in html
        assert '<label for="id_party">' in html and '<details class="more-filters">' in html


def test_a_field_with_errors_is_drawn_by_its_bound_field_with_its_errors():
    form = CaseFilterForm(query(filed_after="2026-05-01", filed_before="2026-01-01", party=HOSTILE),
                          regions=lambda: REGIONS)
    form.show(Refused({"filed": ["起始日期晚于结束日期。"]}))
    html = case_filter_bar.draw(form, (("party",), ("filed_after", "filed_before")), more_open=True)
    bound = form["filed_after"]
    assert 'aria-invalid="true"' in str(bound) and str(bound) in html
    assert f'<div class="field-errors" id="errors-filed_after">{bound.errors}</div>' in html
    assert '<div class="field has-errors">\n          <label for="id_filed_after">' in html
    assert '<details class="more-filters" open>' in html
    assert escape(HOSTILE) in html and HOSTILE not in html
    oob = case_filter_bar.oob_errors(form)
    assert f'<div class="field-errors" id="errors-filed_after" hx-swap-oob="true">{bound.errors}</div>' in oob
    assert '<div class="field-errors" id="errors-party" hx-swap-oob="true"></div>' in oob


def test_the_htmx_rows_carry_the_fields_errors_out_of_band(office):
    response = signed_in(office.officer).get(
        reverse("web:case-list"), {"filed_after": "2026-05-01", "filed_before": "2026-01-01"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert '<div class="field-errors" id="errors-filed_after" hx-swap-oob="true"><ul class="errorlist"' in text
    assert '<div class="field-errors" id="errors-status" hx-swap-oob="true"></div>' in text


def notify(user, n):
    with transaction.atomic():
        return store([Notification(recipient=user, kind="case_closed", text="x", payload={"params": {"number": "1"}})
                      for _ in range(n)])


def test_the_unread_count_is_exact_and_the_users_own(office):
    first, *_ = notify(office.officer, 3)
    notify(office.officer2, 2)
    assert unread_count(office.officer) == 3 and unread_count(office.officer2) == 2
    mark_read(office.officer, [first.pk])
    assert unread_count(office.officer) == 2
    page = signed_in(office.officer).get(reverse("web:case-list")).content.decode()
    assert 'aria-label="通知，2 条未读">' in page
    assert '<span class="bell-count" data-bell-count aria-hidden="true">2</span>' in page
    mark_read(office.officer)
    page = signed_in(office.officer).get(reverse("web:case-list")).content.decode()
    assert 'aria-label="通知">' in page and 'data-label-unread="通知，99999 条未读"' in page
    assert '<span class="bell-count empty" data-bell-count aria-hidden="true">0</span>' in page


def test_the_top_bar_escapes_the_user_and_shows_administration_to_staff_only(office):
    office.officer.full_name = HOSTILE
    office.officer.save()
    page = signed_in(office.officer).get(reverse("web:workbench")).content.decode()
    assert f"<summary>{escape(HOSTILE)}</summary>" in page and HOSTILE not in page
    assert reverse("admin:index") not in page and f'<a href="{reverse("logout")}"' not in page
    assert f'<form method="post" action="{reverse("logout")}"><input type="hidden" name="csrfmiddlewaretoken"' in page
    office.officer.is_staff = True
    office.officer.save()
    page = signed_in(office.officer).get(reverse("web:workbench")).content.decode()
    assert f'<a href="{reverse("admin:index")}">后台管理</a>' in page


def test_the_top_bar_is_in_the_readers_language_and_a_visitor_gets_the_sign_in_link(office):
    client = signed_in(office.officer)
    chinese = client.get(reverse("web:case-list")).content.decode()
    english = client.get(reverse("web:case-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "退出" in chinese and '<option value="zh-hans" selected>' in chinese
    assert ">Log out</button>" in english and '<option value="en" selected>' in english
    assert ">Case list</a></li>" in english and ">案件列表</a></li>" in chinese
    visitor = Client().get(reverse("login")).content.decode()
    assert f'<a href="{reverse("login")}">登录</a>' in visitor
    assert 'id="sidenav"' not in visitor and "data-bell" not in visitor and 'class="language-switch"' in visitor
    assert "site.css" in visitor and "htmx-2" in visitor and "bell.js" not in visitor and "bell.js" in chinese
