"""The list's parameters: validated from a query string into plain values.

One set of validators, built once (a form per request would copy every
field each time); the web UI's filter form is built from the same names and
choices (casehub/web/case_filters.py)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError as FormError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Region

from ..rules.refusal import Kind, Refused
from ..rules.workflow import Status
from ..vocabulary import Campaign, CaseKind, IpType
from . import cursors
from .cursors import DEADLINE, NEWEST

DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 50, 200

# The orders a list may take: newest first (the default) or by next deadline.
ORDERS = ((NEWEST, gettext_lazy("Newest first")), (DEADLINE, gettext_lazy("By next deadline")))

MANY = {
    "status": forms.MultipleChoiceField(choices=Status.choices),
    "ip_type": forms.MultipleChoiceField(choices=IpType.choices),
    "kind": forms.MultipleChoiceField(choices=CaseKind.choices),
}
_CAMPAIGN = forms.ChoiceField(choices=Campaign.choices)
_ORDER = forms.ChoiceField(choices=ORDERS)
_AGENCY = forms.IntegerField(min_value=1)
_PAGE_SIZE = forms.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE)
_DATE = forms.DateField()
PARTY_MAX_LENGTH = 100
_PARTY = forms.CharField(max_length=PARTY_MAX_LENGTH)
_BOOLEAN = {"true": True, "1": True, "false": False, "0": False}

# name of a date range -> the case column its `_after` / `_before` bound.
RANGES = {"lead_received": "lead_received_on", "filed": "filed_on", "decided": "decision_date",
          "created": "created_at"}

# The filters that choose which cases are listed (not the page or order):
# what an export records and what the web form carries.
FILTERS = ("status", "ip_type", "kind", "campaign", "agency", "region", "party", "overdue", "due_before", "mine",
           *[f"{name}_{side}" for name in RANGES for side in ("after", "before")])


def parse(query) -> dict:
    """The list's parameters from a query string (a QueryDict), validated.
    Raises `Refused` (kind invalid) naming every bad field; a range whose
    start is after its end is named by the range (``created``)."""
    values, errors = {}, {}

    def check(name, validate):
        raw = query.get(name)
        if raw in (None, ""):
            return
        try:
            values[name] = validate(raw)
        except FormError as error:
            errors[name] = error.messages

    for name, field in MANY.items():
        chosen = [v for v in query.getlist(name) if v != ""]
        if chosen:
            try:
                values[name] = field.clean(chosen)
            except FormError as error:
                errors[name] = error.messages
    check("campaign", _CAMPAIGN.clean)
    check("agency", _AGENCY.clean)
    check("region", _region_codes)
    check("party", lambda v: _PARTY.clean(v).strip())
    check("overdue", _boolean)
    check("due_before", _DATE.clean)
    # Only the cases the signed-in user leads or handles: resolved to their
    # id when the page is read (page.py), never taken from the query.
    check("mine", _boolean)
    check("page_size", _PAGE_SIZE.clean)
    check("order", _ORDER.clean)
    order = values.get("order", NEWEST)
    check("cursor", lambda token: cursors.decode(token, order))
    for name in RANGES:
        check(f"{name}_after", _DATE.clean)
        check(f"{name}_before", _DATE.clean)
        start, stop = values.get(f"{name}_after"), values.get(f"{name}_before")
        if start and stop and start > stop:
            errors[name] = [_("The start of the range is after its end.")]
    if errors:
        raise Refused(errors, kind=Kind.INVALID)
    values["order"] = order
    return values


def filters_of(values: dict, query) -> dict:
    """The filters as the user gave them (for an audit entry): the raw
    values of the validated names, without page, cursor or order."""
    return {name: (query.getlist(name) if name in MANY else query.get(name))
            for name in FILTERS if name in values}


def _boolean(raw: str) -> bool:
    try:
        return _BOOLEAN[raw.lower()]
    except KeyError:
        raise FormError(_("Give true or false.")) from None


def _region_codes(code: str) -> list[str]:
    codes = Region.subtree_codes(code)
    if codes is None:
        raise FormError(_("Unknown region code."))
    return codes
