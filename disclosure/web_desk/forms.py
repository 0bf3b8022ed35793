"""The disclosure desk's forms. They draw the fields and keep what was
typed; the services decide (they read the same input through the API's
serializers, once the actor is authorised, and audit a refusal), and their
refusals are put at these fields (casehub/web/refusals.to_form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casehub.rules.workflow import PenaltyType
from casehub.vocabulary import IpType

from ..models import Field, RecordStatus
from ..rules import publicity


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _date(label, **kwargs):
    return forms.DateField(label=label, widget=DateInput(), **kwargs)


def _all(choices):
    return [("", _("All")), *choices]


# The desk's statuses: the record's status, with the corrected (a public
# record in a later revision) and the revoked (withdrawn with its decision)
# told apart.
STATUS_FILTERS = [
    (RecordStatus.PENDING.value, _("Awaiting review")),
    (RecordStatus.PUBLISHED.value, _("Public")),
    ("corrected", _("Corrected")),
    ("revoked", _("Decision revoked")),
    (RecordStatus.WITHDRAWN.value, _("Withdrawn from publicity")),
    (RecordStatus.EXPIRED.value, _("Publicity ended")),
]


class DateRangeMixin:
    def clean(self):
        data = super().clean()
        after, before = data.get(f"{self.RANGE}_after"), data.get(f"{self.RANGE}_before")
        if after and before and after > before:
            self.add_error(f"{self.RANGE}_before", _("The end date is before the start date."))
        return data


class RecordFilterForm(DateRangeMixin, forms.Form):
    RANGE = "decided"
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_all(STATUS_FILTERS))
    late = forms.ChoiceField(label=_("Publication on time"), required=False, choices=_all([
        ("true", _("Late or overdue")), ("false", _("On time"))]))
    ip_type = forms.ChoiceField(label=_("IP type"), required=False, choices=_all(IpType.choices))
    enterprise = forms.CharField(label=_("Party or credit code"), required=False, max_length=200)
    decided_after = _date(_("Decided from"), required=False)
    decided_before = _date(_("Decided until"), required=False)


class RepairFilterForm(DateRangeMixin, forms.Form):
    RANGE = "applied"
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_all([
        ("pending", _("Awaiting decision")), ("approved", _("Repair approved")), ("refused", _("Repair refused"))]))
    enterprise = forms.CharField(label=_("Party or credit code"), required=False, max_length=200)
    applied_after = _date(_("Applied from"), required=False)
    applied_before = _date(_("Applied until"), required=False)


def _field_choices():
    """The regulated fields the publicity rules give their own periods."""
    named = publicity.STRICT_FIELDS | publicity.LONGER_MINIMUM_FIELDS
    return [("", _("None (the general periods)")), *[(v, label) for v, label in Field.choices if v in named]]


class ApproveForm(forms.Form):
    field = forms.ChoiceField(label=_("regulated field"), required=False, choices=_field_choices,
                              help_text=_("Food, drugs, special equipment, work safety and fire have longer periods."))


class CorrectForm(forms.Form):
    decision_number = forms.CharField(label=_("decision document number"), max_length=64)
    penalties = forms.MultipleChoiceField(label=_("penalties"), choices=PenaltyType.choices,
                                          widget=forms.CheckboxSelectMultiple)
    fine_amount = forms.DecimalField(label=_("Fine (yuan)"), required=False, max_digits=14, decimal_places=2,
                                     widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
    confiscated_amount = forms.DecimalField(label=_("Confiscated (yuan)"), required=False, max_digits=14,
                                            decimal_places=2,
                                            widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
    field = forms.ChoiceField(label=_("regulated field"), required=False, choices=_field_choices)
    legal_basis = forms.CharField(label=_("legal basis"), widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Correction note"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Shown with the corrected record: what changed and why."))
    wide_fields = frozenset({"penalties", "legal_basis", "note"})

    @classmethod
    def of(cls, record, data=None):
        initial = {"decision_number": record.decision_number, "penalties": list(record.penalties),
                   "fine_amount": record.fine_amount, "confiscated_amount": record.confiscated_amount,
                   "field": record.field, "legal_basis": record.legal_basis}
        return cls(data=data, initial=initial, auto_id="correct-%s")


class RevokeForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("E.g. the decision was revoked by reconsideration or a court."))


class RepairForm(forms.Form):
    applicant = forms.CharField(label=_("applicant"), max_length=200)
    applied_on = _date(_("applied on"))
    reason = forms.CharField(label=_("grounds"), widget=forms.Textarea(attrs={"rows": 3}))
    wide_fields = frozenset({"reason"})


class DecideRepairForm(forms.Form):
    reason = forms.CharField(label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CreditLookupForm(forms.Form):
    credit_code = forms.CharField(label=_("unified social credit code"), max_length=18, min_length=18,
                                  widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                                "class": "mono", "inputmode": "latin"}),
                                  help_text=_("18 characters, e.g. 91420500MA4XXXXXXX; the last is a check character."))
