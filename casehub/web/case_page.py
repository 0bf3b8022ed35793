"""/cases/<id>/ — the case page: its header card and action bar (case_frame),
and the tab 基本信息 with the case's record and its decision. The other tabs
are views of their own (case_parties, case_timeline, …); the action forms
are case_actions."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from ..rules.workflow import Outcome, PenaltyType
from ..services import cases as service
from . import case_actions, case_parties, case_timeline, rendering
from .case_frame import case_page_context, case_rows, or_404

_PENALTIES = dict(PenaltyType.choices)


@login_required
def case_page(request, case_id: int):
    # The detail names the case's parties: an audited read.
    case = or_404(service.read_case, actor=request.user, case_id=case_id, request=request, queryset=case_rows())
    context = case_page_context(request, case, "overview")
    context["decision"] = decision_of(case)
    return rendering.page(request, "casehub/case/overview.html", context)


def decision_of(case) -> dict | None:
    """The decision as recorded, once there is one."""
    if not case.outcome:
        return None
    return {
        "outcome": Outcome(case.outcome).label,
        "number": case.decision_number,
        "date": case.decision_date,
        "penalties": [_PENALTIES.get(p, p) for p in case.penalties or ()],
        "fine_amount": case.fine_amount,
        "confiscated_amount": case.confiscated_amount,
        "legal_basis": case.legal_basis,
        "reason": case.decision_reason,
    }


urlpatterns = [
    path("cases/<int:case_id>/", case_page, name="case"),
    *case_parties.urlpatterns,
    *case_timeline.urlpatterns,
    *case_actions.urlpatterns,
]
