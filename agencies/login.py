"""The sign-in page: Django's, saying so when too many failures have
locked the username or the address out (the backend enforces it), and why
the user was signed out when their session ended (signed_out.py)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import login_throttle, signed_out
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

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if signed_out.reason(request) is not None:
            signed_out.shown(response)  # said once
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.method == "GET":
            why = signed_out.reason(self.request)
            context["signed_out"] = signed_out.message(why) if why else None
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        signed_out.shown(response)
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if any(e.code == "locked" for e in form.errors.as_data().get("__all__", [])):
            response.status_code = 429
        return response
