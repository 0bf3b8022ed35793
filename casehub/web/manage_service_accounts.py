"""/manage/service-accounts/ — 系统账号: the accounts through which another
system (a credit platform pulling the disclosure feed, a city data hub)
uses the API for an agency the user administers; create one, edit it,
deactivate it (its tokens are revoked with it), issue a token (the key is
shown once, in the answer to the POST, within the expiry limits of
agencies/services/tokens.py) and revoke one. The rules and the audit are
agencies/services/service_accounts.py's, as for /api/v1/service-accounts/."""

import functools

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from agencies.api.serializers import ApiTokenSerializer, ServiceAccountSerializer
from agencies.models import Membership, User
from agencies.roles import Role
from agencies.services import service_accounts

from .. import access
from . import rendering
from .account_tokens import TokenForm
from .manage import AgencyPicker, act_or_tell, chosen_agency, crumbs, posted_agency, trimmed, via_service

LIST = "casehub/manage/service_accounts.html"
PAGE = "casehub/manage/service_account.html"
LIMIT = 200  # an agency has a handful; the page says when there are more
USERNAME_LENGTH = User._meta.get_field("username").max_length
FULL_NAME_LENGTH = User._meta.get_field("full_name").max_length


class NewAccountForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=USERNAME_LENGTH,
                               help_text=_("e.g. hubei-credit-feed: the system it is for."))
    full_name = forms.CharField(label=_("Description"), max_length=FULL_NAME_LENGTH, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.OFFICER,
                             help_text=_("What the system may do in the agency, as a member in this role could."))


class EditAccountForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=USERNAME_LENGTH)
    full_name = forms.CharField(label=_("Description"), max_length=FULL_NAME_LENGTH, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False,
                                   help_text=_("An inactive account's tokens stop working until it is active again."))


def _accounts(agency_ids):
    rows = (User.objects.filter(service_agency__isnull=False)
            .select_related("service_agency")
            .prefetch_related(Prefetch("memberships", queryset=Membership.objects.current().order_by("role"),
                                       to_attr="current_roles"))
            .annotate(last_used=Max("api_tokens__last_used_at"),
                      live_tokens=Count("api_tokens", filter=Q(api_tokens__revoked_at__isnull=True)))
            .order_by("username"))
    return rows if agency_ids is None else rows.filter(service_agency_id__in=agency_ids)


def _list(request, *, form=None, status=200, agency_value=None):
    agency, agencies = chosen_agency(request, agency_value)
    rows = list(_accounts({agency.pk})[: LIMIT + 1])
    response = rendering.page(request, LIST, {
        "agency": agency, "picker": AgencyPicker(agencies, agency) if len(agencies) > 1 else None,
        "accounts": rows[:LIMIT], "more": len(rows) > LIMIT, "form": form or NewAccountForm(),
        "crumbs": crumbs((_("Service accounts"), "")),
    }, status=status)
    add_never_cache_headers(response)
    return response


@login_required
def accounts(request):
    return _list(request)


@require_POST
@login_required
def create_account(request):
    agency = posted_agency(request)
    form = NewAccountForm(request.POST)
    if form.is_valid():
        account = via_service(form, service_accounts.create, ServiceAccountSerializer,
                              trimmed(form, agency=agency.pk), request=request)
        if account is not None:
            messages.success(request, _t("Service account “%(name)s” created. Issue it a token below.") % {
                "name": account.username})
            return redirect("web:service-account", account.pk)
    return _list(request, form=form, status=400, agency_value=agency.pk)


def _account(request, account_id):
    """A service account of an agency the user administers (others: 404)."""
    account = _accounts(access.managed_agency_ids(request.user)).filter(pk=account_id).first()
    if account is None:
        raise Http404
    return account


def _page(request, account, *, form=None, token_form=None, new_key=None, new_token=None, status=200):
    response = rendering.page(request, PAGE, {
        "account": account, "form": form or EditAccountForm(initial={
            "username": account.username, "full_name": account.full_name, "is_active": account.is_active}),
        "token_form": token_form or TokenForm(),
        "tokens": list(account.api_tokens.order_by("-created_at", "-pk")[:100]),
        "new_key": new_key, "new_token": new_token,
        "back_url": f"{reverse('web:service-accounts')}?{urlencode({'agency': account.service_agency_id})}",
        "crumbs": crumbs((_("Service accounts"), reverse("web:service-accounts")), (account.username, "")),
    }, status=status)
    if new_key:
        response["Cache-Control"] = "no-store"  # the key is in this page alone
    else:
        add_never_cache_headers(response)
    return response


@login_required
def account_page(request, account_id: int):
    account = _account(request, account_id)
    if request.method != "POST":
        return _page(request, account)
    form = EditAccountForm(request.POST)
    if form.is_valid() and via_service(form, service_accounts.update, ServiceAccountSerializer, trimmed(form),
                                       request=request, account_id=account.pk) is not None:
        messages.success(request, _t("Service account saved."))
        return redirect("web:service-account", account.pk)
    return _page(request, account, form=form, status=400)


@require_POST
@login_required
def deactivate(request, account_id: int):
    account = _account(request, account_id)
    if act_or_tell(request, lambda: service_accounts.deactivate(actor=request.user, account_id=account.pk,
                                                                request=request)) is not None:
        messages.success(request, _t("Service account “%(name)s” deactivated; its tokens are revoked.") % {
            "name": account.username})
    return redirect("web:service-account", account.pk)


@require_POST
@login_required
def issue_token(request, account_id: int):
    account = _account(request, account_id)
    form = TokenForm(request.POST)
    if form.is_valid():
        issued = via_service(form, functools.partial(service_accounts.issue_token, account_id=account.pk),
                             ApiTokenSerializer, form.as_input(), request=request)
        if issued is not None:
            token, key = issued
            return _page(request, account, new_key=key, new_token=token)
    return _page(request, account, token_form=form, status=400)


@require_POST
@login_required
def revoke_token(request, account_id: int, token_id: int):
    account = _account(request, account_id)
    token = act_or_tell(request, lambda: service_accounts.revoke_token(
        actor=request.user, account_id=account.pk, token_id=token_id, request=request))
    if token is not None:
        messages.success(request, _t("Token “%(name)s” revoked; it no longer works.") % {"name": token.name})
    return redirect("web:service-account", account.pk)


urlpatterns = [
    path("manage/service-accounts/", accounts, name="service-accounts"),
    path("manage/service-accounts/new/", create_account, name="service-account-new"),
    path("manage/service-accounts/<int:account_id>/", account_page, name="service-account"),
    path("manage/service-accounts/<int:account_id>/deactivate/", deactivate, name="service-account-deactivate"),
    path("manage/service-accounts/<int:account_id>/tokens/", issue_token, name="service-account-token"),
    path("manage/service-accounts/<int:account_id>/tokens/<int:token_id>/revoke/", revoke_token,
         name="service-account-token-revoke"),
]
