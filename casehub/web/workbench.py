"""/ — the workbench (工作台). To be built (issue 12)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def workbench(request):
    return render(request, "casehub/placeholder.html", {"title": "工作台"})
