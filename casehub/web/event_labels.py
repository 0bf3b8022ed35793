"""What each kind of timeline event is called (TimelineEvent.kind): the
workflow's acts by their actions' labels (rules/workflow.py), the rest —
records, cooperation with other agencies — here."""

from django.utils.translation import gettext_lazy as _

from ..rules import workflow

EVENT_LABELS = {
    "created": _("Lead logged"),
    "edited": _("Case details changed"),
    "party_added": _("Party added"),
    "note": _("Note added"),
    "file_added": _("Evidence file added"),
    "participant_added": _("Joint handling: agency joined"),
    "participant_ended": _("Joint handling: agency left"),
    "assistance_requested": _("Assistance requested"),
    "assistance_answered": _("Assistance answered"),
    "assistance_declined": _("Assistance declined"),
    "transfer_proposed": _("Transfer proposed"),
    "transfer_approved": _("Transfer approved"),
    "transfer_rejected": _("Transfer not approved"),
    "transfer_withdrawn": _("Transfer withdrawn"),
    "transfer_sent": _("Transfer sent"),
    "transfer_resubmitted": _("Transfer resubmitted"),
    "transfer_accepted": _("Transfer accepted"),
    "transfer_returned": _("Transfer returned for more material"),
    "transfer_refused": _("Transfer refused"),
    "transfer_reconsideration_requested": _("Reconsideration requested"),
    "transfer_refusal_upheld": _("Refusal upheld"),
    "transfer_material_added": _("Transfer material added"),
    "transfer_handed_over": _("Seized goods handed over"),
    "supervision_requested": _("Filing supervision requested"),
    "supervision_opinion": _("Supervision opinion"),
    "supervision_reply": _("Reply to the supervision opinion"),
    **{action.event: action.label for action in workflow.ACTIONS.values()},
}

# Events of the workflow's acts: their summary is the action's label, so
# the timeline shows what they carried (reason, comment…) instead.
ACTION_EVENTS = frozenset(action.event for action in workflow.ACTIONS.values())


def event_label(kind: str) -> str:
    return EVENT_LABELS.get(kind, kind)
