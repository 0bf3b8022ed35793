"""/assistance/<id>/ — one assistance request (协查): what was asked, by
whom, of whom and by when; of its case what the access module lets the
reader see (the asked agency: the number only); its answer with the files
(which joined the case's evidence) or the reason it was declined. The asked
agency's members answer it (with files, checked like the evidence tab's
uploads) or decline it with a reason, confirmed in a <dialog>. A request
of other agencies is a 404, audited by the service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from .. import access
from ..calendar import working_calendar
from ..models import AssistanceRequest
from ..rules.refusal import Refused
from ..services import assistance as service
from . import refusals, rendering
from .assistance_desk import describe_row
from .assistance_forms import AnswerForm, DeclineForm
from .case_evidence import KIND_LABELS
from .form_attempts import audit_invalid_form

TEMPLATE = "casehub/assistance/request.html"


def load_request(request, item_id: int, action: str) -> AssistanceRequest:
    """The request as the user may see it, or a 404 (audited by the service)."""
    rows = AssistanceRequest.objects.select_related("case", "from_agency", "to_agency", "requested_by",
                                                    "answered_by")
    try:
        return service.find_request(actor=request.user, item_id=item_id, action=action, request=request,
                                    queryset=rows)
    except Refused:
        raise Http404 from None


def _context(request, item, *, answer_form=None, decline_form=None) -> dict:
    today = timezone.localdate()
    case_visible = access.can_see_case(request.user, item.case)
    row = describe_row(item, mine=access.agency_ids(request.user),
                       visible_cases={item.case_id} if case_visible else set(), cal=working_calendar(), today=today)
    can_answer = access.can_answer_assistance(request.user, item)
    files = [{"file": f, "kind": KIND_LABELS.get(f.kind, f.kind.upper()),
              "url": reverse("web:case-evidence-download", args=[item.case_id, f.pk]) if case_visible else ""}
             for f in item.files.order_by("pk")]
    return {
        "row": row,
        "item": item,
        "case_visible": case_visible,
        "files": files,
        "can_answer": can_answer,
        "answer_form": (answer_form or AnswerForm()) if can_answer or answer_form else None,
        "decline_form": (decline_form or DeclineForm()) if can_answer or decline_form else None,
        # A refused decline opens its dialog again, with the reason kept.
        "decline_open": bool(decline_form and decline_form.errors),
        "crumbs": [{"label": gettext_lazy("Assistance requests"), "url": reverse("web:assistance")},
                   {"label": item.subject, "url": ""}],
    }


@login_required
@require_GET
def assistance_request(request, item_id: int):
    item = load_request(request, item_id, "retrieve")
    return rendering.page(request, TEMPLATE, _context(request, item))


def _act(request, item, form, call, *, action: str, done: str, form_name: str):
    """Check the form, give it to the service; the page again with the
    errors at their fields (400), or back to the request with a message."""
    if not form.is_valid():
        audit_invalid_form(request, form, object_type="assistance", object_id=item.pk, action=action)
    else:
        try:
            call(form.cleaned_data)
        except Refused as refusal:
            refusals.to_form(form, refusal)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(reverse("web:assistance-request", args=[item.pk]))
    return rendering.page(request, TEMPLATE, _context(request, item, **{form_name: form}), status=400)


@login_required
@require_POST
def answer(request, item_id: int):
    item = load_request(request, item_id, "answer")
    form = AnswerForm(request.POST, request.FILES)
    return _act(request, item, form, lambda data: service.answer(
        actor=request.user, item_id=item.pk, text=data["answer"], uploads=data["files"], request=request),
        action="assistance.answer", form_name="answer_form",
        done=_("Answer sent to %(agency)s.") % {"agency": item.from_agency.name})


@login_required
@require_POST
def decline(request, item_id: int):
    item = load_request(request, item_id, "decline")
    form = DeclineForm(request.POST)
    return _act(request, item, form, lambda data: service.decline(
        actor=request.user, item_id=item.pk, reason=data["reason"], request=request),
        action="assistance.decline", form_name="decline_form",
        done=_("Request declined."))


urlpatterns = [
    path("assistance/<int:item_id>/", assistance_request, name="assistance-request"),
    path("assistance/<int:item_id>/answer/", answer, name="assistance-answer"),
    path("assistance/<int:item_id>/decline/", decline, name="assistance-decline"),
]
