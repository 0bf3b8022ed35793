"""/credit/ — an enterprise's credit (企业信用) for agency members: look
it up by its unified social credit code (the check character is checked
here, at the field), then /credit/<code>/, the API's credit view (penalties
counted over the rule's years, repeat infringements, grade); and
/credit/dishonest/, the seriously dishonest (失信联合惩戒). Both through the
services, which audit each look-up and count only what the viewer may see."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from casehub import access
from casehub.rules.identifiers import is_valid_credit_code
from casehub.rules.refusal import Kind, Refused
from casehub.web import rendering

from .. import services
from ..models import DisclosureRecord
from .common import IP_LABELS, STATUS_LABELS, penalty_labels, show_refusal
from .forms import CreditLookupForm

LOOKUP = "disclosure/desk/credit_lookup.html"
REPORT = "disclosure/desk/credit_report.html"
DISHONEST = "disclosure/desk/dishonest.html"


def _crumbs(*more):
    return [{"label": _("Workbench"), "url": reverse("web:workbench")},
            {"label": _("Enterprise credit"), "url": reverse("web:credit")}, *more]


def _member(request) -> None:
    # The credit views are for agency members; for anyone else there is nothing here.
    if not access.agency_ids(request.user):
        raise Http404


def _lookup(request, form, status=200):
    return rendering.page(request, LOOKUP, {"form": form, "crumbs": _crumbs()}, status=status)


@login_required
@require_GET
def lookup(request):
    _member(request)
    if "credit_code" not in request.GET:
        return _lookup(request, CreditLookupForm(auto_id="credit-%s"))
    form = CreditLookupForm(request.GET, auto_id="credit-%s")
    if form.is_valid():
        code = form.cleaned_data["credit_code"].strip().upper()
        if is_valid_credit_code(code):
            return redirect("web:credit-report", credit_code=code)
        form.add_error("credit_code", services.BAD_CREDIT_CODE)
    return _lookup(request, form)


@login_required
@require_GET
def report(request, credit_code: str):
    _member(request)
    try:
        found = services.credit_report(actor=request.user, credit_code=credit_code, request=request)
    except Refused as refusal:
        if refusal.kind != Kind.INVALID:
            raise Http404 from None
        form = CreditLookupForm({"credit_code": credit_code[:18]}, auto_id="credit-%s")
        show_refusal(form, refusal)
        return _lookup(request, form)
    # A record of the viewer's own agency links to its page on the desk.
    own = set(access.visible_disclosure_records(request.user, DisclosureRecord.objects.filter(
        pk__in=[r["id"] for r in found["records"]])).values_list("pk", flat=True))
    records = [{**r, "penalties_text": penalty_labels(r["penalties"]), "ip_label": IP_LABELS.get(r["ip_type"], r["ip_type"]),
                "status_label": STATUS_LABELS.get(r["status"], r["status"]), "own": r["id"] in own}
               for r in found["records"]]
    repeats = [{"label": IP_LABELS.get(k, k), "count": v} for k, v in found["repeat_infringements"].items()]
    context = {"report": found, "records": records, "repeats": repeats,
               "crumbs": _crumbs({"label": found["name"] or found["credit_code"], "url": ""})}
    return rendering.page(request, REPORT, context)


@login_required
@require_GET
def dishonest(request):
    _member(request)
    try:
        listed = services.dishonest_list(actor=request.user, request=request)
    except Refused:
        raise Http404 from None
    return rendering.page(request, DISHONEST, {
        "listed": listed, "crumbs": _crumbs({"label": _("Seriously dishonest list"), "url": ""})})


urlpatterns = [
    path("credit/", lookup, name="credit"),
    path("credit/dishonest/", dishonest, name="credit-dishonest"),
    path("credit/<str:credit_code>/", report, name="credit-report"),
]
