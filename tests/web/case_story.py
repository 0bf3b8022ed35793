"""What the case page tests share: a case moved along by the service, the
shared agency's reader, and the buttons a page shows."""

import re

from agencies.roles import Role
from casehub import access
from casehub.services import cases as service
from tests.factories import AgencyFactory, member

# Each step's data, as the head takes it.
STEPS = {
    "file": {},
    "start_investigation": {},
    "submit_for_review": {"report": "调查终结报告"},
}


def advance(case, office, *names):
    for name in names:
        case = service.apply_action(actor=office.head, case_id=case.pk, name=name, data=dict(STEPS[name]))
    return case


def shared_reader(case):
    """An officer of an agency the case is only shared with."""
    agency = AgencyFactory(code="420500-GA", short_name="宜公安")
    reader = member(agency, Role.OFFICER, username="shared-officer")
    access.grant_case(case, agency)
    return reader


def buttons(html: str) -> list[str]:
    """The actions of the action bar, in order."""
    bar = re.search(r'<div class="action-bar" id="action-bar".*?</div>', html, re.S)
    return re.findall(r'data-action="([a-z_]+)"', bar.group(0)) if bar else []


def field_errors(html: str, form_id: str, field: str) -> str:
    """The errors shown under one field of a form ("" if none)."""
    start = html.find(f'id="{form_id}-{field}')
    assert start >= 0, f"no field {form_id}-{field}"
    end = html.find('<div class="field', start)
    segment = html[start:end if end > 0 else len(html)]
    match = re.search(r'<ul class="errorlist[^>]*>.*?</ul>', segment, re.S)
    return match.group(0) if match else ""
