"""Every web form draws its fields the one way (casehub_forms.form_field,
casehub/_field.html) and its summary the one way (form_summary): a field
refused is marked aria-invalid and names its help and its errors in
aria-describedby, by ids that are on the page; the summary links each field
error to its field. Driven through the real forms, each refused."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_case

from .helpers import signed_in

pytestmark = pytest.mark.django_db


def refused_forms(office, tmp_path, settings):
    """(what, the page of a refused form) for each kind of form of the UI."""
    settings.MEDIA_ROOT = tmp_path
    case = make_case(office)
    officer = signed_in(office.officer)
    head = signed_in(office.head)
    yield "new lead", officer.post(reverse("web:case-new"), {
        "parties-TOTAL_FORMS": "1", "parties-INITIAL_FORMS": "0", "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "20", "parties-0-role": "respondent", "parties-0-kind": "enterprise",
        "parties-0-credit_code": "123", "agency": office.agency.pk})
    yield "party", officer.post(reverse("web:case-parties", args=[case.pk]), {"role": "respondent", "kind": "enterprise"})
    yield "action", head.post(reverse("web:case-action", args=[case.pk, "refuse_filing"]), {"version": case.version})
    yield "note", officer.post(reverse("web:case-notes", args=[case.pk]), {"text": " "})
    yield "upload", officer.post(reverse("web:case-evidence", args=[case.pk]), {"description": "x" * 501})
    yield "token", officer.post(reverse("web:account-tokens"), {"name": ""})
    yield "login", Client().post(reverse("login"), {"username": "", "password": ""})


def test_a_refused_field_names_its_help_and_errors_by_ids_on_the_page(office, tmp_path, settings):
    for what, response in refused_forms(office, tmp_path, settings):
        html = response.content.decode()
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        # (a box of a group is described by its fieldset)
        invalid = [widget for widget in re.findall(r"<(?:input|select|textarea)\b[^>]*\baria-invalid=\"true\"[^>]*>", html)
                   if not re.search(r'type="(hidden|checkbox|radio)"', widget)]
        assert invalid, what
        for widget in invalid:
            described = re.search(r'aria-describedby="([^"]+)"', widget)
            assert described, (what, widget)
            named = described.group(1).split()
            assert any(name.endswith("-errors") for name in named), (what, widget)
            assert set(named) <= ids, (what, set(named) - ids)
        for described in re.findall(r'aria-describedby="([^"]+)"', html):
            assert set(described.split()) <= ids, (what, described)
        for label in re.findall(r'<label for="([^"]+)"', html):
            assert label in ids, (what, label)


def test_the_summary_links_each_field_error_to_its_field(office, tmp_path, settings):
    for what, response in refused_forms(office, tmp_path, settings):
        html = response.content.decode()
        if what == "login":
            continue  # the sign-in pages say what is wrong at the fields alone
        summary = re.search(r'<div class="form-summary" role="alert">.*?</div>', html, re.S)
        assert summary, what
        links = re.findall(r'href="#([^"]+)"', summary.group(0))
        assert links, what
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        assert set(links) <= ids, (what, set(links) - ids)
