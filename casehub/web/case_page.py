"""/cases/<id>/ — the case page. To be built (issue 12)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path


@login_required
def case_page(request, case_id: int):
    return render(request, "casehub/placeholder.html", {"title": "案件"})


urlpatterns = [path("cases/<int:case_id>/", case_page, name="case")]
