"""Changing one's password: from the account pages, or as the last step of
a login whose password is past its maximum age."""

from django.contrib import messages
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from casehub.services.errors import Refused

from ..services import logins, passwords
from .forms import PasswordChangeForm
from .login import go_to_step


@sensitive_post_parameters()
@csrf_protect
@never_cache
def change_password(request):
    login = None
    if request.user.is_authenticated:
        user = request.user
    else:
        login = logins.pending(request)
        if login is None:
            return redirect_to_login(request.get_full_path())
        if login.step is not logins.Step.PASSWORD:
            return go_to_step(login.step, login.next_url)
        user = login.user
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            passwords.change_password(user, current=form.cleaned_data["current_password"],
                                      new=form.cleaned_data["new_password"], request=request)
        except Refused as refused:
            for field, problems in refused.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            if login is not None:
                logins.password_replaced(request, login)
                return go_to_step(logins.Step.DONE, login.next_url)
            messages.success(request, _("Your password has been changed. Your other sessions have ended."))
            return redirect("web:account-security")
    return render(request, "registration/password_change.html", {
        "form": form,
        "forced": login is not None,
        "person": user,
        "expires_at": passwords.expires_at(user),
        "password_rules": password_validators_help_text_html(),
    })
