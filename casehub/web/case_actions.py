"""/cases/<id>/actions/<name>/ — a workflow action's form and its
submission. The form comes into the case page by HTMX (a fragment) or as a
page of its own without JavaScript; the submission goes to the case
service, which decides. A refusal shows at the fields with the input kept;
a case changed since it was read says so and offers a reload. Success is a
redirect back to the tab the user was on, with a short message: HTMX
submits the form boosted, so the same answer replaces the page's content
without reloading the browser."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from ..rules import workflow
from ..services import cases as service
from . import refusals, rendering
from .action_forms import DONE, action_form
from .case_frame import case_page_context, load_case
from .form_attempts import audit_invalid_form

TEMPLATE = "casehub/case/action.html"


def back_to(request, case, candidate: str | None) -> str:
    """Where to return after the act: a page of this case, else its overview."""
    home = reverse("web:case", args=[case.pk])
    if candidate and candidate.startswith(home) and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return home


def _current_page(request) -> str | None:
    """The page an HTMX request was made from (a path)."""
    url = getattr(getattr(request, "htmx", None), "current_url_abs_path", None)
    return url or request.GET.get("next")


@login_required
@require_http_methods(["GET", "POST"])
def case_action(request, case_id: int, name: str):
    if name not in workflow.ACTIONS:
        raise Http404
    case = load_case(request, case_id, action="read" if request.method == "GET" else name)
    if request.method == "GET":
        return _show(request, case, action_form(name, case), back_to(request, case, _current_page(request)))
    form = action_form(name, case, data=request.POST)
    back = back_to(request, case, request.POST.get("next"))
    if not form.is_valid():
        audit_invalid_form(request, form, object_type="case", object_id=case.pk,
                           action=service.transition_act(name))
        return _show(request, case, form, back)
    outcome = refusals.attempt(form, lambda: service.apply_action(
        actor=request.user, case_id=case.pk, name=name, data=form.action_data(),
        expected_version=form.cleaned_data["version"], request=request))
    if outcome == refusals.DONE:
        messages.success(request, DONE[name])
        return HttpResponseRedirect(back)
    return _show(request, case, form, back, stale=outcome == refusals.STALE)


def _show(request, case, form, back: str, *, stale: bool = False):
    """The form in the case page, or alone for HTMX to place in the page."""
    htmx = getattr(request, "htmx", None)
    context = {"case": case, "form": form, "back_url": back, "stale": stale}
    if request.method == "GET" and htmx and not htmx.boosted:
        return rendering.page(request, TEMPLATE, context, partial="action_form")
    context = {**case_page_context(request, case, None), **context}
    response = rendering.page(request, TEMPLATE, context)
    if request.method == "POST":
        # A boosted form would put its own address in the history; the page stays the one the user was on.
        response["HX-Push-Url"] = "false"
    return response


urlpatterns = [path("cases/<int:case_id>/actions/<slug:name>/", case_action, name="case-action")]
