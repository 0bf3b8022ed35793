"""/cases/new/ — log a lead. To be built (issue 12)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path


@login_required
def case_new(request):
    return render(request, "casehub/placeholder.html", {"title": "登记线索"})


urlpatterns = [path("cases/new/", case_new, name="case-new")]
