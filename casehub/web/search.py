"""/search/ — full-text search. To be built (issue 12)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path


@login_required
def search_page(request):
    return render(request, "casehub/placeholder.html", {"title": "全文检索"})


urlpatterns = [path("search/", search_page, name="search")]
