"""/cases/<id>/cooperation/ — the case's transfers (移送), assistance
requests (协查) and the agencies handling it jointly (联合执法), read-only:
each transfer and request only as the access module lets this user see
it. Their desks, where the steps are taken, are another page."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from .. import access
from .case_assistance import cooperation_extras
from .case_frame import case_page_context, load_case
from .rendering import page
from .transfer_steps import STEP_LABELS, step_deadline


def _transfers(user, case) -> list[dict]:
    rows = access.visible_transfers(user, case.transfers.select_related(
        "from_agency", "to_agency", "supervising_agency")).prefetch_related("opinions").order_by("-pk")
    return [{
        "transfer": t,
        "deadline": step_deadline(t),
        "step": STEP_LABELS.get(t.due_step, t.due_step),
        "opinions": list(t.opinions.all()),
    } for t in rows]


def cooperation_context(request, case, **extras) -> dict:
    """The tab's context; `extras` go to the assistance and joint-handling
    sections (a refused form of theirs: case_assistance.py)."""
    assistance = access.visible_assistance(
        request.user, case.assistance_requests.select_related("from_agency", "to_agency")).order_by("-pk")
    participants = case.participants.select_related("agency").order_by("ended_at", "pk")
    return {
        **case_page_context(request, case, "cooperation"),
        "transfers": _transfers(request.user, case),
        "can_propose_transfer": access.can_propose_transfer(request.user, case),
        "assistance": list(assistance),
        "participants": list(participants),
        "today": timezone.localdate(),
        "now": timezone.now(),
        **cooperation_extras(request, case, **extras),
    }


@login_required
@require_GET
def case_cooperation(request, case_id: int):
    case = load_case(request, case_id, action="cooperation")
    return page(request, "casehub/case/cooperation.html", cooperation_context(request, case))


urlpatterns = [path("cases/<int:case_id>/cooperation/", case_cooperation, name="case-cooperation")]
