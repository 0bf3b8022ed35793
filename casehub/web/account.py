"""/accounts/me/ — my account. To be built (issue 12)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path


@login_required
def account(request):
    return render(request, "casehub/placeholder.html", {"title": "我的账号"})


urlpatterns = [path("accounts/me/", account, name="account")]
