"""/accounts/me/ — my account (我的账号): who I am, my memberships and
roles; the security tab (account_security.py) and the API tokens tab
(account_tokens.py) are routed from here too."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from agencies.services import memberships

from . import account_security, account_tokens
from .account_frame import account_context


@login_required
def account(request):
    return render(request, "casehub/account/overview.html", {
        **account_context("overview"),
        "memberships": memberships.own(request.user),
    })


urlpatterns = [path("accounts/me/", account, name="account"), *account_security.urlpatterns,
               *account_tokens.urlpatterns]
