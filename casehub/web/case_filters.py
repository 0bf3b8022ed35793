"""The case list's filter bar: a Django form built from the listing's
parameters (casehub/listing/parameters.py) — the same names and choices the
API takes, so a URL of the list is a URL of the API's list and the reverse.
The form only shows: the listing validates (`listing.parse`), and its
refusal is put at the fields here."""

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from agencies.models import Region

from .. import listing
from ..listing.parameters import MANY, PARTY_MAX_LENGTH
from ..rules.refusal import Refused
from ..vocabulary import Campaign
from .refusals import to_form

_ANY = [("", _("All"))]
_DATE = {"type": "date"}


def _date(label):
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"))


def _one_of(label, choices):
    return forms.ChoiceField(label=label, required=False, choices=[*_ANY, *choices])


def region_choices() -> list[tuple[str, str]]:
    """Every region, each under its parent (one query): choosing one lists
    the cases of the regions below it too."""
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


class CaseFilterForm(forms.Form):
    status = forms.MultipleChoiceField(label=_("status"), required=False, choices=MANY["status"].choices,
                                       widget=forms.CheckboxSelectMultiple)
    ip_type = _one_of(_("IP right type"), MANY["ip_type"].choices)
    kind = _one_of(_("case kind"), MANY["kind"].choices)
    campaign = _one_of(_("campaign"), Campaign.choices)
    region = forms.ChoiceField(label=_("region"), required=False)
    party = forms.CharField(label=_("Party name or credit code"), required=False, max_length=PARTY_MAX_LENGTH)
    lead_received_after = _date(_("Lead received from"))
    lead_received_before = _date(_("Lead received until"))
    filed_after = _date(_("Filed from"))
    filed_before = _date(_("Filed until"))
    decided_after = _date(_("Decided from"))
    decided_before = _date(_("Decided until"))
    created_after = _date(_("Created from"))
    created_before = _date(_("Created until"))
    overdue = forms.ChoiceField(label=_("Overdue"), required=False,
                                choices=[*_ANY, ("true", _("Overdue only")), ("false", _("Not overdue"))])
    due_before = _date(_("Next deadline by"))
    order = forms.ChoiceField(label=_("Order"), required=False, choices=listing.ORDERS)

    def __init__(self, data, *, regions=region_choices):
        super().__init__(data)
        # Read when the select is drawn: the rows alone (HTMX) need no regions.
        self.fields["region"].choices = lambda: [*_ANY, *regions()]

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
        to_form(self, Refused(errors, kind=refused.kind))
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"
