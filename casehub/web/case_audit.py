"""/cases/<id>/audit/ — the case's audit entries (审计记录), newest first,
for the owning agency's auditors and head; a 404 for everyone else, who
may see the case or not (audited by the service). Time, who, for which
agency, what, allowed or denied, and why."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ..models import AuditEntry
from ..rules import workflow
from ..rules.refusal import Refused
from ..services import audit_log
from . import keyset
from .case_frame import case_page_context, load_case
from .rendering import page

PAGE_SIZE = 50

# What an act is called on this page; others show their code.
ACTIONS = {
    "case.read": _("Read the case"),
    "case.read_parties": _("Read the parties"),
    "case.create": _("Logged the lead"),
    "case.update": _("Edited the case"),
    "case.add_party": _("Added a party"),
    "case.add_note": _("Added a note"),
    "case.notes": _("Opened the notes"),
    "case.files": _("Opened the evidence files"),
    "case.cooperation": _("Opened the transfers and assistance"),
    "case.mentions": _("Looked up colleagues to mention"),
    "case.audit": _("Opened the audit records"),
    "case.add_participant": _("Added a joint-handling agency"),
    "case.end_participant": _("Ended a joint handling"),
    "file.upload": _("Uploaded a file"),
    "file.download": _("Downloaded a file"),
    "file.custody": _("Read a file's chain of custody"),
    "audit.read": _("Read the audit log"),
    "transfer.propose": _("Proposed a transfer"),
    "assistance.ask": _("Asked for assistance"),
}


def _action_label(action: str) -> str:
    """The act's name on this page: the workflow's own name for a case
    transition (case.file → 立案), ours for the rest, else nothing (its code
    shows)."""
    if action in ACTIONS:
        return ACTIONS[action]
    kind, _dot, name = action.partition(".")
    if kind == "case" and name in workflow.ACTIONS:
        return workflow.ACTIONS[name].label
    return ""


def _reason(entry: AuditEntry) -> str:
    """Why it was refused (the refusal's messages), or the reason given."""
    detail = entry.detail if isinstance(entry.detail, dict) else {}
    reasons = detail.get("reasons")
    if reasons:
        return "；".join(_messages(reasons))
    reason = detail.get("reason")
    return reason if isinstance(reason, str) else ""


def _messages(value):
    if isinstance(value, dict):
        for inner in value.values():
            yield from _messages(inner)
    elif isinstance(value, (list, tuple)):
        for inner in value:
            yield from _messages(inner)
    elif value:
        yield str(value)


@login_required
@require_GET
def case_audit(request, case_id: int):
    case = load_case(request, case_id, action="audit")
    try:
        entries = audit_log.read_case_log(actor=request.user, case=case, request=request)
    except Refused:
        raise Http404 from None
    entries = keyset.newest_first(entries.select_related("user", "agency"), request, key="seq", size=PAGE_SIZE)
    context = {
        **case_page_context(request, case, "audit"),
        "page": entries,
        "entries": [{"entry": e, "action": _action_label(e.action), "reason": _reason(e),
                     "allowed": e.result == AuditEntry.RESULT_ALLOWED} for e in entries.rows],
    }
    return page(request, "casehub/case/audit.html", context, partial="audit-rows")


urlpatterns = [path("cases/<int:case_id>/audit/", case_audit, name="case-audit")]
