"""Signing in: the password page, then the code page (services/logins.py
decides which step comes next)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from .. import signed_out
from ..services import logins
from .forms import CodeStepForm, PasswordStepForm, locked_message

_STEP_PAGES = {
    logins.Step.CODE: "login-code",
    logins.Step.ENROL: "otp-enrol",
    logins.Step.PASSWORD: "password-change",
}


def go_to_step(step: logins.Step, next_url: str = ""):
    """The page of a login's next step, or where the user was going."""
    if step is logins.Step.DONE:
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    return redirect(_STEP_PAGES[step])


class LoginView(auth_views.LoginView):
    authentication_form = PasswordStepForm

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if signed_out.reason(request) is not None:
            signed_out.shown(response)  # said once
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.method == "GET":
            # Why the last session ended (signed_out.py): idle, its lifetime.
            why = signed_out.reason(self.request)
            context["signed_out"] = signed_out.message(why) if why else None
        return context

    def form_valid(self, form):
        step = logins.begin(self.request, form.get_user(), self.get_redirect_url())
        response = go_to_step(step, self.get_redirect_url())
        signed_out.shown(response)
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if any(e.code == "locked" for e in form.errors.as_data().get("__all__", [])):
            response.status_code = 429
        return response


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def code_step(request):
    login = logins.pending(request)
    if login is None:
        return redirect("login")
    if login.step is not logins.Step.CODE:
        return go_to_step(login.step, login.next_url)
    form = CodeStepForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            step = logins.verify_code(request, login, form.cleaned_data["code"])
        except logins.Locked:
            form.add_error(None, locked_message())
            status = 429
        else:
            if step is not None:
                return go_to_step(step, login.next_url)
            form.add_error("code", _("This code is not right, or has been used already. Try the next code "
                                     "your app shows."))
    return render(request, "registration/login_code.html", {"form": form, "person": login.user}, status=status)
