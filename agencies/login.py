"""The sign-in page: Django's, saying so when too many failures have
locked the username or the address out (the backend enforces it)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import login_throttle
from .backends import client_address


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed attempts. Try again in %(minutes)d minutes."),
    }

    def get_invalid_login_error(self):
        if login_throttle.locked(self.cleaned_data.get("username"), client_address(self.request)):
            return ValidationError(self.error_messages["locked"], code="locked",
                                   params={"minutes": login_throttle.window_minutes()})
        return super().get_invalid_login_error()


class LoginView(auth_views.LoginView):
    authentication_form = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if any(e.code == "locked" for e in form.errors.as_data().get("__all__", [])):
            response.status_code = 429
        return response
