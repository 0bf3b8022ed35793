"""/accounts/me/tokens/ — the API tokens tab of my account: the list (name,
prefix, created, expires, last used, revoked), a new token (name, optional
expiry; the key is shown once, in the answer to the POST, never stored or
shown again) and revoking one (confirmed in a dialog). The rules and the
audit are those of /api/v1/me/tokens/ (agencies/services/tokens.py)."""

from datetime import datetime, time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from agencies.api.serializers import ApiTokenSerializer
from agencies.models import ApiToken
from agencies.services import tokens

from ..rules.refusal import Refused
from .account_frame import account_context
from .refusals import to_form


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=ApiToken._meta.get_field("name").max_length,
                           help_text=_("What the token is for, e.g. the nightly export script."))
    expires_at = forms.DateField(label=_("Expires on"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = settings.API_TOKEN_LIFETIME_DAYS
        if days > 0:
            self.fields["expires_at"].help_text = _t("Leave empty for the longest: %(days)d days.") % {"days": days}

    def as_input(self) -> dict:
        """What the API takes: the expiry is the end of the chosen day here."""
        day = self.cleaned_data.get("expires_at")
        expires = timezone.make_aware(datetime.combine(day, time(23, 59, 59))) if day else None
        return {"name": self.cleaned_data["name"], "expires_at": expires}


def _page(request, form, *, new_key=None, new_token=None):
    response = render(request, "casehub/account/tokens.html", {
        **account_context("tokens"), "form": form, "tokens": tokens.own(request.user),
        "new_key": new_key, "new_token": new_token,
    })
    if new_key:
        response["Cache-Control"] = "no-store"  # the key is in this page alone
    return response


@login_required
def account_tokens(request):
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, key = tokens.issue_own(actor=request.user, serializer=ApiTokenSerializer(data=form.as_input()),
                                          request=request)
        except Refused as refusal:
            to_form(form, refusal)
        else:
            return _page(request, TokenForm(), new_key=key, new_token=token)
    return _page(request, form)


@require_POST
@login_required
def revoke_token(request, token_id: int):
    try:
        token = tokens.revoke_own(actor=request.user, token_id=token_id, request=request)
    except Refused as refusal:
        to_form(forms.Form(), refusal)  # another user's token: a 404
        messages.error(request, refusal.message)
    else:
        messages.success(request, _t("Token “%(name)s” revoked; it no longer works.") % {"name": token.name})
    return redirect("web:account-tokens")


urlpatterns = [
    path("accounts/me/tokens/", account_tokens, name="account-tokens"),
    path("accounts/me/tokens/<int:token_id>/revoke/", revoke_token, name="account-token-revoke"),
]
