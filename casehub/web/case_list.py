"""/cases/ — the case list. To be built (issue 12)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path


@login_required
def case_list(request):
    return render(request, "casehub/placeholder.html", {"title": "案件列表"})


urlpatterns = [path("cases/", case_list, name="case-list")]
