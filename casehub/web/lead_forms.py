"""The forms of a new lead (登记线索): the case's own fields, its people
(choices from the owning agency's current members) and its parties, one
form each. They check the shape of the input only; the case service checks
every rule and its refusals are shown at these fields."""

from django import forms
from django.forms import formset_factory
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agencies.models import Region, User

from .. import access
from ..models import Case, Party
from ..rules.workflow import HANDLERS
from ..vocabulary import Campaign, CaseKind, CaseSource, IpType, PartyKind, PartyRole

# The case fields a lead is logged with (the service's EDITABLE, less the people).
CASE_FIELDS = ("title", "ip_type", "kind", "source", "region", "facts", "amount_involved", "seized_goods",
               "campaign", "lead_received_on")
PARTY_FIELDS = ("role", "kind", "name", "credit_code", "id_number", "legal_representative", "address", "contact")
MAX_PARTIES = 20
_BLANK = [("", "---------")]


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


class MarkedForm(forms.Form):
    """Fields in error say so to assistive technology (aria-invalid)."""

    def full_clean(self):
        super().full_clean()
        self.mark_invalid()

    def mark_invalid(self):
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"


def member_choices(agency_id: int | None) -> list[tuple[str, str]]:
    """(username, "name (username)") of the agency's current members who
    handle cases: whom a case can be given to."""
    if agency_id is None:
        return []
    ids = access.current_members([agency_id], roles=HANDLERS)
    people = User.objects.filter(pk__in=ids).order_by("username").only("username", "full_name", "first_name",
                                                                        "last_name")
    return [(u.username, f"{u.display_name}（{u.username}）" if u.display_name != u.username else u.username)
            for u in people]


class LeadForm(MarkedForm):
    title = forms.CharField(label=_label(Case, "title"), max_length=200)
    ip_type = forms.ChoiceField(label=_label(Case, "ip_type"), choices=_BLANK + IpType.choices)
    kind = forms.ChoiceField(label=_label(Case, "kind"), choices=CaseKind.choices,
                             initial=CaseKind.ADMINISTRATIVE_PENALTY)
    source = forms.ChoiceField(label=_label(Case, "source"), choices=_BLANK + CaseSource.choices)
    region = forms.ModelChoiceField(label=_label(Case, "region"), queryset=Region.objects.order_by("code"))
    lead_received_on = forms.DateField(label=_label(Case, "lead_received_on"),
                                       widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    campaign = forms.ChoiceField(label=_label(Case, "campaign"), choices=[("", _("None"))] + Campaign.choices,
                                 required=False)
    amount_involved = forms.DecimalField(label=_label(Case, "amount_involved"), max_digits=14, decimal_places=2,
                                         min_value=0, required=False)
    facts = forms.CharField(label=_label(Case, "facts"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    seized_goods = forms.CharField(label=_label(Case, "seized_goods"), widget=forms.Textarea(attrs={"rows": 3}),
                                   required=False)
    agency = forms.TypedChoiceField(label=_label(Case, "owning_agency"), coerce=int)
    lead_officer = forms.ChoiceField(label=_label(Case, "lead_officer"))
    handlers = forms.MultipleChoiceField(label=_label(Case, "handlers"), widget=forms.CheckboxSelectMultiple,
                                         required=False,
                                         help_text=_("The lead officer is a handler too. An administrative case is "
                                                     "filed with at least two handlers."))

    def __init__(self, *args, agencies, agency_id, user, **kwargs):
        """`agencies`: those the user may open cases for (the owning agency
        is chosen only among several); `agency_id`: the one chosen."""
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]
        self.fields["agency"].initial = agency_id
        self.several_agencies = len(agencies) > 1
        if self.several_agencies:
            # Another owning agency: its members replace the people's choices.
            self.fields["agency"].widget.attrs.update({
                "hx-get": reverse("web:case-new"), "hx-trigger": "change", "hx-target": "#people",
                "hx-swap": "outerHTML"})
        else:
            self.fields["agency"].widget = forms.HiddenInput()
        members = member_choices(agency_id)
        self.fields["lead_officer"].choices = _BLANK + members
        self.fields["handlers"].choices = members
        if any(username == user.username for username, _name in members):
            self.fields["lead_officer"].initial = user.username
        self.fields["lead_received_on"].initial = timezone.localdate
        region = next((a.region_id for a in agencies if a.pk == agency_id), None)
        self.fields["region"].initial = region

    def case_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in CASE_FIELDS}
        for name in ("facts", "seized_goods", "campaign"):
            data[name] = data[name] or ""
        data["lead_officer"] = self.cleaned_data["lead_officer"]
        return data


class PartyForm(MarkedForm):
    role = forms.ChoiceField(label=_label(Party, "role"), choices=PartyRole.choices, initial=PartyRole.RESPONDENT)
    kind = forms.ChoiceField(label=_label(Party, "kind"), choices=PartyKind.choices, initial=PartyKind.ENTERPRISE)
    name = forms.CharField(label=_label(Party, "name"), max_length=200)
    credit_code = forms.CharField(label=_label(Party, "credit_code"), max_length=18, required=False,
                                  help_text=_("Enterprises: 18 characters (GB 32100-2015)."))
    id_number = forms.CharField(label=_label(Party, "id_number"), max_length=18, required=False,
                                help_text=_("Individuals: 18 characters (GB 11643-1999)."))
    legal_representative = forms.CharField(label=_label(Party, "legal_representative"), max_length=64,
                                           required=False)
    address = forms.CharField(label=_label(Party, "address"), max_length=200, required=False)
    contact = forms.CharField(label=_label(Party, "contact"), max_length=64, required=False)

    def party_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PARTY_FIELDS}


PartyFormSet = formset_factory(PartyForm, extra=1, can_delete=True, max_num=MAX_PARTIES, validate_max=True,
                               absolute_max=MAX_PARTIES)
PARTY_PREFIX = "parties"


def filled(formset) -> list[PartyForm]:
    """The party forms of a valid formset that describe a party: filled in
    and not removed."""
    return [f for f in formset.forms if f.has_changed() and not f.cleaned_data.get("DELETE")]
