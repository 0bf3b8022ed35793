from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import login_throttle
from ..backends import client_address


def locked_message() -> str:
    return _("Too many failed attempts. Try again in %(minutes)d minutes.") % {
        "minutes": login_throttle.window_minutes()}


class PasswordStepForm(AuthenticationForm):
    """The first step: username and password; says so when too many failures
    have locked the username or the address out (the backend enforces it)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed attempts. Try again in %(minutes)d minutes."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocapitalize": "none", "autocorrect": "off"})

    def get_invalid_login_error(self):
        if login_throttle.locked(self.cleaned_data.get("username"), client_address(self.request)):
            return ValidationError(self.error_messages["locked"], code="locked",
                                   params={"minutes": login_throttle.window_minutes()})
        return super().get_invalid_login_error()


def _code_widget(**attrs):
    return forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autocorrect": "off",
                                  "spellcheck": "false", "autofocus": True, "class": "code", **attrs})


class CodeStepForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"), max_length=32, strip=True,
        help_text=_("The 6-digit code your authenticator app shows, or one of your recovery codes."),
        widget=_code_widget(),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"), max_length=16, strip=True,
        help_text=_("The 6-digit code the app shows after adding the account."),
        widget=_code_widget(inputmode="numeric", pattern="[0-9 ]*"),
    )


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(
        label=_("Current password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password = forms.CharField(
        label=_("New password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label=_("New password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        new, again = cleaned.get("new_password"), cleaned.get("new_password_again")
        if new and again and new != again:
            self.add_error("new_password_again", _("The two new passwords differ."))
        return cleaned
