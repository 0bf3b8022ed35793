"""The case page's side of cross-agency work, in its 移送与协查 tab:

- /cases/<id>/assistance/new/ — ask another agency (of any of the 宜荆荆恩
  cities) for assistance (协查): the agency, the subject, what to verify and
  the due date; the assistance service decides and audits.
- /cases/<id>/participants/ and /cases/<id>/participants/<pid>/end/ — joint
  handling (联合执法): the owning agency's head brings a co-handling (协办) or
  supporting agency onto the case and ends its part (confirmed in a
  <dialog>), through the participants service.

The tab shows these forms only to those the access module says may use
them; the services decide whatever the page shows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .. import access
from ..rules.refusal import Refused
from ..services import assistance as assistance_service
from ..services import participants as participants_service
from . import refusals, rendering
from .assistance_forms import AskForm, ParticipantForm
from .case_frame import case_page_context, load_case
from .form_attempts import submit

ASK_TEMPLATE = "casehub/case/assistance_new.html"


def cooperation_extras(request, case, *, participant_form=None, end_errors=()) -> dict:
    """What the tab's assistance and joint-handling sections add to it: the
    links to each request's page, the ask button, the head's forms."""
    organise = access.can_organise_joint_handling(request.user, case)
    return {
        "can_ask_assistance": access.can_ask_assistance(request.user, case),
        "can_organise_joint": organise,
        "end_errors": list(end_errors),
        "participant_form": (participant_form or ParticipantForm(case=case)) if organise or participant_form
        else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def ask(request, case_id: int):
    case = load_case(request, case_id, action="read" if request.method == "GET" else "ask_assistance")
    form = AskForm(request.POST if request.method == "POST" else None, case=case)
    status = 200
    if request.method == "POST":
        item = submit(request, form, lambda data: assistance_service.ask(
            actor=request.user, case=case.pk, to_agency=data["to_agency"], subject=data["subject"],
            details=data["details"], due_on=data["due_on"], request=request), case=case, action="assistance.ask")
        if item is not None:
            messages.success(request, _("Assistance requested of %(agency)s.") % {"agency": item.to_agency.name})
            return HttpResponseRedirect(reverse("web:assistance-request", args=[item.pk]))
        status = 400
    context = {
        **case_page_context(request, case, None),
        "form": form,
        "may_ask": access.can_ask_assistance(request.user, case),
        "back_url": reverse("web:case-cooperation", args=[case.pk]),
    }
    context["crumbs"] = [*context["crumbs"][:-1],
                         {"label": case.number, "url": reverse("web:case-cooperation", args=[case.pk])},
                         {"label": gettext_lazy("Ask for assistance"), "url": ""}]
    return rendering.page(request, ASK_TEMPLATE, context, status=status)


def _back_to_tab(case, anchor: str = "participants-heading"):
    return HttpResponseRedirect(f"{reverse('web:case-cooperation', args=[case.pk])}#{anchor}")


def _tab_with_errors(request, case, **refused):
    from .case_cooperation import cooperation_context

    context = cooperation_context(request, case, **refused)
    return rendering.page(request, "casehub/case/cooperation.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def add_participant(request, case_id: int):
    case = load_case(request, case_id, action="add_participant" if request.method == "POST" else "cooperation")
    if request.method != "POST":  # the form lives in the tab
        return _back_to_tab(case)
    form = ParticipantForm(request.POST, case=case)
    added = submit(request, form, lambda data: participants_service.add(
        actor=request.user, case=case.pk, agency=data["agency"], role=data["role"], request=request),
        case=case, action="case.add_participant")
    if added is None:
        return _tab_with_errors(request, case, participant_form=form)
    messages.success(request, _("%(agency)s now handles the case jointly as %(role)s.") % {
        "agency": added.agency.name, "role": added.get_role_display()})
    return _back_to_tab(case, f"participant-{added.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def end_participant(request, case_id: int, participant_id: int):
    case = load_case(request, case_id, action="end_participant" if request.method == "POST" else "cooperation")
    if request.method != "POST":  # confirmed in the tab's dialog
        return _back_to_tab(case)
    try:
        ended = participants_service.end(actor=request.user, case=case.pk, participant_id=participant_id,
                                         request=request)
    except Refused as refusal:
        if refusal.not_found:  # no such participation on this case (or ended already)
            raise Http404 from None
        errors = [m for messages_ in (refusal.errors or {}).values() for m in refusals.flatten(messages_)]
        return _tab_with_errors(request, case, end_errors=errors or [refusal.message])
    messages.success(request, _("%(agency)s no longer handles the case.") % {"agency": ended.agency.name})
    return _back_to_tab(case)


urlpatterns = [
    path("cases/<int:case_id>/assistance/new/", ask, name="case-assistance-new"),
    path("cases/<int:case_id>/participants/", add_participant, name="case-participant-add"),
    path("cases/<int:case_id>/participants/<int:participant_id>/end/", end_participant,
         name="case-participant-end"),
]
