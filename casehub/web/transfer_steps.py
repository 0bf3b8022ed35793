"""What the pages about transfers share: the running step's name and
deadline (the case's 移送与协查 tab, the transfers desk, the supervision
desk, a transfer's page), the steps' names, and the form of a step built
from that step's fields (rules/transfers.py STEPS[name].required /
optional) with the types the API's StepSerializer gives them. The form
checks type and shape only; whether the step may be taken, and with these
values, is the transfer service's decision (services.transfers.take_step)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from ..rules import transfers as rules
from ..rules.transfers import MaterialKind, TransferKind
from ..services.deadlines import describe_values
from ..services.workbench import STEP_LABELS as ACT_LABELS
from .action_forms import ActForm

# The step whose deadline runs (rules/transfers.py deadline_step).
STEP_LABELS = {
    "approve": _("Head's approval"),
    "send": _("Sending"),
    "decide": _("Police decision on opening a case"),
    "decide_other": _("Receiver's decision"),
    "decide_reverse": _("Reply to the reverse transfer"),
    "reconsider_request": _("Request for reconsideration"),
    "reconsider_decide": _("Decision on reconsideration"),
    "hand_over": _("Hand-over of items and files"),
}


def step_deadline(transfer, today=None) -> dict | None:
    """The running step's deadline in the shape deadline chips take; a step
    counted in hours is late from its moment, not its day."""
    if not transfer.due_step or transfer.due_at is None:
        return None
    due = timezone.localtime(transfer.due_at).date()
    described = describe_values(transfer.due_step, due, "", today=today)
    described["overdue"] = transfer.due_at < timezone.now()
    return described


# Steps that end the transfer for good (or for the sender): they ask for
# confirmation in a dialog, with the reason the law wants.
IRREVERSIBLE = frozenset({"withdraw", "refuse", "reject", "uphold_refusal"})

# The step that moves the transfer on is the primary button.
FORWARD = ("approve", "send", "resubmit", "accept", "request_reconsideration")

# What a successful step says at the top of the page.
DONE = {
    "approve": _("Transfer approved."),
    "reject": _("Transfer rejected."),
    "withdraw": _("Transfer withdrawn."),
    "send": _("Transfer sent to %(agency)s."),
    "resubmit": _("Transfer sent to %(agency)s."),
    "accept": _("Transfer accepted."),
    "return": _("Transfer returned for more materials."),
    "refuse": _("Decided not to open a case."),
    "request_reconsideration": _("Reconsideration requested."),
    "uphold_refusal": _("Refusal upheld."),
}


def _text(label, max_length, rows=3):
    return forms.CharField(label=label, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows}))


# Field name -> a new form field (the types of api/transfers.StepSerializer).
FIELDS = {
    "receiver_case_number": lambda: forms.CharField(label=_("receiver's case number"), max_length=64),
    "reason": lambda: _text(_("reason"), 5000),
    "comment": lambda: _text(_("Comment"), 2000, rows=2),
}
ORDER = ("receiver_case_number", "wanted", "reason", "comment")
WIDE = frozenset({"wanted", "reason", "comment"})


def required_fields(name: str, kind: str) -> set[str]:
    """The step's required fields; the police accept a suspected crime by
    opening a criminal case, so its number is required (rules.plan_step)."""
    required = set(rules.STEPS[name].required)
    if name == "accept" and kind == TransferKind.SUSPECTED_CRIME:
        required.add("receiver_case_number")
    return required


class StepForm(ActForm):
    wide_fields = WIDE
    irreversible_acts = IRREVERSIBLE

    def __init__(self, name: str, transfer, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{name}-%s")
        super().__init__(*args, **kwargs)
        self.step = rules.STEPS[name]
        self.transfer = transfer
        required = required_fields(name, transfer.kind)
        names = [*self.step.required, *self.step.optional]
        if name == "return":
            names.append("wanted")
        for field_name in sorted(names, key=ORDER.index):
            if field_name == "wanted":
                # 退回补充材料: the list of what is wanted goes into the reason.
                field = forms.MultipleChoiceField(label=_("Materials to supplement"), choices=MaterialKind.choices,
                                                  widget=forms.CheckboxSelectMultiple, required=False)
            else:
                field = FIELDS[field_name]()
                field.required = field_name in required
            self.fields[field_name] = field
        self.focus_first()

    @property
    def name(self) -> str:
        return self.step.name

    @property
    def label(self) -> str:
        return ACT_LABELS.get(self.name, self.name)

    @property
    def primary(self) -> bool:
        return self.name in FORWARD

    def step_data(self) -> dict:
        """What the service takes: the filled-in fields, without the version
        (the wanted materials written into the reason)."""
        data = {name: value for name, value in self.cleaned_data.items()
                if name not in ("version", "wanted") and value not in (None, "", [])}
        wanted = self.cleaned_data.get("wanted")
        if wanted:
            labels = dict(MaterialKind.choices)
            listed = "、".join(str(labels[w]) for w in wanted)
            data["reason"] = f"{data.get('reason', '')}\n{gettext('Materials to supplement')}：{listed}".strip()
        return data


def step_form(name: str, transfer, data=None) -> StepForm:
    """The form of `name` on `transfer`, bound to `data` when submitted; a
    new one carries the version the user is reading."""
    return StepForm(name, transfer, data=data, initial={"version": transfer.version})
