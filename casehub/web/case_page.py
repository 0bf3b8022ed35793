"""/cases/<id>/ — the case page: its overview tab, parties, timeline and
the action forms. To be built (issue 12)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from .case_frame import case_page_context, load_case


@login_required
def case_page(request, case_id: int):
    case = load_case(request, case_id)
    return render(request, "casehub/case/overview.html", case_page_context(request, case, "overview"))


urlpatterns = [path("cases/<int:case_id>/", case_page, name="case")]
