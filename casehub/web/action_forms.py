"""The form of a workflow action, built from that action's fields
(workflow.ACTIONS[name].required / optional) with the types the API's
ActionSerializer gives them. The form checks type and shape only; whether
the action may be taken, and with these values, is the case service's
decision (services.cases.apply_action)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..rules import workflow
from ..rules.case_record import STOP_CLOCK_REASONS
from ..rules.workflow import Outcome, PenaltyType
from ..vocabulary import ClockStopReason

# The statutory deadlines by name (rules/deadlines.py).
DEADLINE_LABELS = {"filing": _("Filing deadline"), "decision": _("Decision deadline")}

# Acts that cannot be undone: they ask for confirmation in a dialog.
IRREVERSIBLE = frozenset({"withdraw", "refuse_filing"})

# The step that moves the case forward, when the user may take it, is the
# primary button (first of these that is available).
FORWARD = ("file", "start_investigation", "submit_for_review", "decide", "start_execution", "close", "resume")

# What a successful act says at the top of the page.
DONE = {
    "file": _("Case filed."),
    "refuse_filing": _("Decided not to file."),
    "start_investigation": _("Investigation started."),
    "submit_for_review": _("Submitted for review."),
    "return_for_investigation": _("Returned for further investigation."),
    "decide": _("Decision recorded."),
    "start_execution": _("Execution started."),
    "close": _("Case closed."),
    "suspend": _("Case suspended."),
    "resume": _("Case resumed."),
    "withdraw": _("Case withdrawn."),
    "stop_clock": _("Clock stopped."),
    "restart_clock": _("Clock restarted."),
    "extend_deadline": _("Deadline extended."),
    "set_deadline_collectively": _("Deadline set by collective decision."),
}


class DateInput(forms.DateInput):
    input_type = "date"


def _date(label):
    return forms.DateField(label=label, widget=DateInput(format="%Y-%m-%d"))


def _text(label, max_length=2000, rows=3):
    return forms.CharField(label=label, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows}))


def _amount(label):
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=0,
                              widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))


_STOP_REASONS = [(value, label) for value, label in ClockStopReason.choices if value in STOP_CLOCK_REASONS]

# Field name -> a new form field (the types of api/case_serializers.ActionSerializer).
FIELDS = {
    "filed_on": lambda: _date(_("filed on")),
    "outcome": lambda: forms.ChoiceField(label=_("outcome"), choices=[("", "—"), *Outcome.choices]),
    "decision_date": lambda: _date(_("decision date")),
    "decision_number": lambda: forms.CharField(label=_("decision document number"), max_length=64),
    "penalties": lambda: forms.MultipleChoiceField(label=_("penalties"), choices=PenaltyType.choices,
                                                   widget=forms.CheckboxSelectMultiple),
    "fine_amount": lambda: _amount(_("Fine (yuan)")),
    "confiscated_amount": lambda: _amount(_("Confiscated (yuan)")),
    "legal_basis": lambda: _text(_("legal basis")),
    "deadline": lambda: forms.ChoiceField(label=_("deadline"), choices=list(DEADLINE_LABELS.items())),
    "due_on": lambda: _date(_("New due date")),
    "meeting_date": lambda: _date(_("Date of the collective discussion")),
    "report": lambda: _text(_("Investigation report"), max_length=20000, rows=8),
    "summary": lambda: _text(_("Closing summary")),
    "reason": lambda: _text(_("reason")),
    "comment": lambda: _text(_("Comment"), rows=2),
}
# The order fields appear in, whatever the action lists first.
ORDER = ("outcome", "decision_date", "decision_number", "penalties", "fine_amount", "confiscated_amount",
         "legal_basis", "filed_on", "deadline", "due_on", "meeting_date", "report", "summary", "reason", "comment")
WIDE = frozenset({"penalties", "legal_basis", "report", "summary", "reason", "comment"})


class ActForm(forms.Form):
    """The form of one act on a record that carries a version (a case's
    action, a transfer's step): the version the user is reading, sent back
    hidden; which fields are drawn wide; whether the act is irreversible
    (its Submit then reads "Confirm: ..." in red)."""
    version = forms.IntegerField(widget=forms.HiddenInput)
    wide_fields: frozenset = frozenset()
    irreversible_acts: frozenset = frozenset()

    @property
    def name(self) -> str:
        raise NotImplementedError

    @property
    def irreversible(self) -> bool:
        return self.name in self.irreversible_acts

    def focus_first(self) -> None:
        """HTMX (and a dialog) put the focus on the first field once a new
        form is in the page."""
        first = next((n for n in self.fields if n != "version"), None)
        if first and not self.is_bound:
            self.fields[first].widget.attrs["autofocus"] = True


class ActionForm(ActForm):
    wide_fields = WIDE
    irreversible_acts = IRREVERSIBLE

    def __init__(self, name: str, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{name}-%s")
        super().__init__(*args, **kwargs)
        self.action = workflow.ACTIONS[name]
        required = set(self.action.required)
        for field_name in sorted(self.action.fields, key=ORDER.index):
            field = FIELDS[field_name]()
            if name == "stop_clock" and field_name == "reason":
                field = forms.ChoiceField(label=_("Reason for stopping the clock"),
                                          choices=[("", "—"), *_STOP_REASONS])
            field.required = field_name in required
            self.fields[field_name] = field
        self.focus_first()

    @property
    def name(self) -> str:
        return self.action.name

    def action_data(self) -> dict:
        """What the service takes: the filled-in fields, without the version."""
        return {name: value for name, value in self.cleaned_data.items()
                if name != "version" and value not in (None, "", [])}


def action_form(name: str, case, data=None) -> ActionForm:
    """The form for `name` on `case`, bound to `data` when submitted; a new
    one carries the version the user is reading."""
    initial = {"version": case.version}
    if name == "extend_deadline" and case.next_deadline in DEADLINE_LABELS:
        initial["deadline"] = case.next_deadline
    return ActionForm(name, data=data, initial=initial)
