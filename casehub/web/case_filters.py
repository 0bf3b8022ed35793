"""The case list's filter bar: a Django form built from the listing's
parameters (casehub/listing/parameters.py) — the same names and choices the
API takes, so a URL of the list is a URL of the API's list and the reverse.
The form only shows: the listing validates (`listing.parse`), and its
refusal is put at the fields here."""

import copy
import time

from django import forms
from django.db.models.signals import post_delete, post_save
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from agencies.models import Region

from .. import listing
from ..listing.parameters import MANY, PARTY_MAX_LENGTH
from ..rules.refusal import Refused
from ..vocabulary import Campaign
from .refusals import to_form
from .widgets import CheckboxList, DateInput, Select, TextInput

_ANY = [("", _("All"))]


def _date(label):
    return forms.DateField(label=label, required=False, widget=DateInput(format="%Y-%m-%d"))


def _fixed(choices):
    """Choices given as a callable: each form copies its fields, and a list
    of translatable labels costs more to copy than the form to draw."""
    choices = list(choices)
    return lambda: choices


def _one_of(label, choices):
    return forms.ChoiceField(label=label, required=False, choices=_fixed([*_ANY, *choices]), widget=Select)


# Regions are reference data (GB/T 2260), changed by an administrator now
# and then: each process keeps the select's choices a few minutes rather
# than read them on every list request; a change made in this process
# drops them at once.
REGIONS_TTL = 300  # seconds
_regions: dict = {"read_at": None, "choices": []}


def _forget_regions(**kwargs) -> None:
    _regions["read_at"] = None


post_save.connect(_forget_regions, sender=Region, dispatch_uid="case_filters_regions_saved")
post_delete.connect(_forget_regions, sender=Region, dispatch_uid="case_filters_regions_deleted")


def region_choices() -> list[tuple[str, str]]:
    """Every region, each under its parent: choosing one lists the cases of
    the regions below it too."""
    read_at = _regions["read_at"]
    if read_at is None or time.monotonic() - read_at > REGIONS_TTL:
        _regions["choices"], _regions["read_at"] = _read_regions(), time.monotonic()
    return _regions["choices"]


def _read_regions() -> list[tuple[str, str]]:
    children: dict[str | None, list[tuple[str, str]]] = {}
    for code, name, parent in Region.objects.order_by("code").values_list("code", "name", "parent_id"):
        children.setdefault(parent, []).append((code, name))
    known = {code for rows in children.values() for code, _name in rows}
    choices = []

    def add(parent, depth):
        for code, name in children.get(parent, []):
            choices.append((code, f"{'　' * depth}{name}"))
            add(code, depth + 1)

    for root in [p for p in children if p is None or p not in known]:
        add(root, 0)
    return choices


def _once(read):
    """`read`, called the first time only (a select's choices are gone
    through more than once while it is drawn)."""
    kept = []

    def choices():
        if not kept:
            kept.extend(read())
        return kept

    return choices


class CaseFilterForm(forms.Form):
    status = forms.MultipleChoiceField(label=_("status"), required=False, choices=_fixed(MANY["status"].choices),
                                       widget=CheckboxList)
    ip_type = _one_of(_("IP right type"), MANY["ip_type"].choices)
    kind = _one_of(_("case kind"), MANY["kind"].choices)
    campaign = _one_of(_("campaign"), Campaign.choices)
    region = forms.ChoiceField(label=_("region"), required=False, widget=Select)
    party = forms.CharField(label=_("Party name or credit code"), required=False, max_length=PARTY_MAX_LENGTH,
                            widget=TextInput)
    lead_received_after = _date(_("Lead received from"))
    lead_received_before = _date(_("Lead received until"))
    filed_after = _date(_("Filed from"))
    filed_before = _date(_("Filed until"))
    decided_after = _date(_("Decided from"))
    decided_before = _date(_("Decided until"))
    created_after = _date(_("Created from"))
    created_before = _date(_("Created until"))
    overdue = forms.ChoiceField(label=_("Overdue"), required=False, widget=Select,
                                choices=_fixed([*_ANY, ("true", _("Overdue only")), ("false", _("Not overdue"))]))
    due_before = _date(_("Next deadline by"))
    # false and absent alike list everyone's cases: "All".
    mine = forms.ChoiceField(label=_("My cases"), required=False, widget=Select,
                             choices=_fixed([*_ANY, ("true", _("Only my cases"))]))
    order = forms.ChoiceField(label=_("Order"), required=False, choices=_fixed(listing.ORDERS), widget=Select)

    def __init__(self, data, *, regions=region_choices):
        super().__init__(data)
        # Read when the select is drawn: the rows alone (HTMX) need no regions.
        self.region_list = regions
        self.fields["region"] = region = copy.deepcopy(self.fields["region"])
        region.choices = _once(lambda: [*_ANY, *regions()])

    def full_clean(self):
        # The listing validates the parameters; this form only shows them.
        self._errors = ErrorDict()
        self.cleaned_data = {}

    def show(self, refused: Refused) -> None:
        """The listing's refusal at the fields: a range whose start is after
        its end at the range's start; a bad cursor or page size (a URL
        edited by hand) in the summary."""
        errors = {(f"{name}_after" if name in listing.RANGES else name): messages
                  for name, messages in refused.errors.items()}
        to_form(self, Refused(errors, kind=refused.kind))  # the fields then draw aria-invalid themselves


class _Shared(dict):
    """The declared fields, which each form would deep-copy (17 fields and
    their widgets, on every list request, for a form that only shows):
    nothing changes a field of this form once declared — its errors are
    the form's, its values the request's — so the forms share them; the
    region select, whose choices are each form's, is copied (__init__)."""

    def __deepcopy__(self, memo):
        return dict(self)


CaseFilterForm.base_fields = _Shared(CaseFilterForm.base_fields)
