"""What casehub tells people about, and in what words."""

from contextlib import nullcontext

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CASE_ASSIGNED = "case_assigned", _("A case was assigned to me")
    TRANSFER_PROPOSED = "transfer_proposed", _("Transfer proposed, awaiting approval")
    TRANSFER_SENT = "transfer_sent", _("Transfer received")
    TRANSFER_ACCEPTED = "transfer_accepted", _("Transfer accepted")
    TRANSFER_RETURNED = "transfer_returned", _("Transfer returned for materials")
    TRANSFER_REFUSED = "transfer_refused", _("Transfer refused")
    TRANSFER_RECONSIDERATION = "transfer_reconsideration", _("Reconsideration of a refusal asked")
    ASSISTANCE_REQUESTED = "assistance_requested", _("Assistance request received")
    ASSISTANCE_ANSWERED = "assistance_answered", _("Assistance request answered")
    ASSISTANCE_DECLINED = "assistance_declined", _("Assistance request declined")
    SUPERVISION_OPINION = "supervision_opinion", _("Supervision opinion")
    DEADLINE_DUE = "deadline_due", _("Deadline due in one working day")
    DEADLINE_OVERDUE = "deadline_overdue", _("Deadline overdue")
    CASE_DECIDED = "case_decided", _("Case decided")
    CASE_CLOSED = "case_closed", _("Case closed")
    MENTIONED = "mentioned", _("Mentioned in a note")
    DISCLOSURE_DUE = "disclosure_due", _("Penalty decision to publish soon")
    DISCLOSURE_OVERDUE = "disclosure_overdue", _("Penalty decision published late")


class Scope(models.TextChoices):
    PERSONAL = "personal", _("Only what concerns me")
    AGENCY = "agency", _("Everything of this kind in my agencies")


# Each kind's words; the placeholders come from the notification's payload.
_TEXTS = {
    Kind.CASE_ASSIGNED: _("You were assigned to case {number}"),
    Kind.TRANSFER_PROPOSED: _("Transfer of case {number} to {to_agency} awaits approval"),
    Kind.TRANSFER_SENT: _("{from_agency} transferred case {number} to your agency"),
    Kind.TRANSFER_ACCEPTED: _("{to_agency} accepted the transfer of case {number}"),
    Kind.TRANSFER_RETURNED: _("{to_agency} returned the transfer of case {number} for more materials"),
    Kind.TRANSFER_REFUSED: _("{to_agency} refused the transfer of case {number}"),
    Kind.TRANSFER_RECONSIDERATION: _("{from_agency} asks you to reconsider refusing case {number}"),
    Kind.ASSISTANCE_REQUESTED: _("{from_agency} asks for assistance: {subject}"),
    Kind.ASSISTANCE_ANSWERED: _("{to_agency} answered the assistance request: {subject}"),
    Kind.ASSISTANCE_DECLINED: _("{to_agency} declined the assistance request: {subject}"),
    Kind.SUPERVISION_OPINION: _("{procuratorate} issued a supervision opinion on case {number}"),
    Kind.DEADLINE_DUE: _("Case {number}: deadline due on {due_on}"),
    Kind.DEADLINE_OVERDUE: _("Case {number}: deadline passed on {due_on}"),
    Kind.CASE_DECIDED: _("Case {number} was decided"),
    Kind.CASE_CLOSED: _("Case {number} was closed"),
    Kind.MENTIONED: _("{actor} mentioned you in case {number}"),
    Kind.DISCLOSURE_DUE: _("Decision {decision_number} ({party}) must be published by {due_on}"),
    Kind.DISCLOSURE_OVERDUE: _("Decision {decision_number} ({party}) was due for publication on {due_on}"),
}


def render(kind: str, params: dict, language: str | None = None) -> str:
    """The short text of a notification, in `language` (the active one if
    None). A missing placeholder shows empty rather than failing a delivery."""
    template = _TEXTS.get(kind)
    if template is None:
        return ""
    with translation.override(language) if language else nullcontext():
        text = str(template)
    return text.format_map(_Blank(params))[:200]


class _Blank(dict):
    def __missing__(self, key):
        return ""
