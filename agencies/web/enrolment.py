"""Setting up an authenticator app (a QR code, or the secret to type in,
confirmed with the app's first code) and recovery codes."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from .. import second_factor
from ..services import enrolment, logins
from .forms import EnrolForm
from .login import go_to_step


def _enrolling(request):
    """(who enrols, the login in progress or None): a signed-in user, or
    someone whose login waits for an authenticator."""
    if request.user.is_authenticated:
        return request.user, None
    login = logins.pending(request)
    if login is not None and login.step is logins.Step.ENROL:
        return login.user, login
    return None, None


def _recovery_codes_page(request, codes, continue_url, *, first=False):
    response = render(request, "registration/recovery_codes.html",
                      {"codes": codes, "continue_url": continue_url, "first": first})
    response["Cache-Control"] = "no-store"
    return response


@csrf_protect
@never_cache
def enrol(request):
    user, login = _enrolling(request)
    if user is None:
        login = logins.pending(request)
        if login is not None:  # a login at another step
            return go_to_step(login.step, login.next_url)
        return redirect_to_login(request.get_full_path())
    device = second_factor.pending_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = enrolment.confirm(request, user, form.cleaned_data["code"], login)
        if done is not None:
            if login is None:
                continue_url = reverse("web:account-security")
            elif done.step is logins.Step.DONE:
                continue_url = login.next_url or reverse("web:workbench")
            else:
                continue_url = go_to_step(done.step).url
            return _recovery_codes_page(request, done.recovery_codes, continue_url, first=True)
        form.add_error("code", _("This code is not right. Check the time on your device and type the code "
                                 "the app shows now."))
    return render(request, "registration/enrol.html", {
        "form": form,
        "secret": second_factor.secret_base32(device),
        "replacing": login is None and second_factor.enrolled(user),
        "signing_in": login is not None,
        "person": user,
    })


@never_cache
def enrol_qr(request):
    """The QR code of the authenticator being enrolled, an SVG served from
    this site (a page without inline script or external images can show
    it under a strict Content-Security-Policy)."""
    user, _login = _enrolling(request)
    if user is None:
        raise Http404
    response = HttpResponse(second_factor.qr_svg(second_factor.pending_device(user)), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@require_POST
@login_required
@csrf_protect
def regenerate_recovery_codes(request):
    if not second_factor.enrolled(request.user):
        return redirect("otp-enrol")
    codes = enrolment.regenerate_recovery_codes(request.user)
    return _recovery_codes_page(request, codes, reverse("web:account-security"))
