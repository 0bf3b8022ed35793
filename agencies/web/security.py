"""One's own security settings at a glance: the second factor and recovery
codes, the password and its age, API tokens and when each was last used."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import second_factor
from ..services import passwords


@login_required
def account_security(request):
    user = request.user
    return render(request, "registration/account_security.html", {
        "enrolled": second_factor.enrolled(user),
        "required": second_factor.required(),
        "recovery_codes_left": second_factor.recovery_codes_left(user),
        "password_changed_at": user.password_changed_at,
        "password_expires_at": passwords.expires_at(user),
        "tokens": user.api_tokens.order_by("-created_at")[:50],
    })
