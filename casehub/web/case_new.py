"""/cases/new/ — log a lead (登记线索): the case, its people and its
parties in one form, stored by the case service as one act (nothing is
stored unless every rule passes). Refusals show at their fields and the
officer's input stays as typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency

from ..rules.refusal import Refused
from ..services import cases as service
from . import refusals
from .agency import current_agency_id
from .lead_forms import MAX_PARTIES, PARTY_PREFIX, LeadForm, PartyForm, PartyFormSet, filled
from .rendering import page

TITLE = gettext_lazy("Log a lead")
TEMPLATE = "casehub/cases/new.html"


def _refused_page(request, refusal: Refused):
    """A user whose roles open no cases: the service's reason, 403."""
    return render(request, "errors/request.html", {"title": TITLE, "message": refusal.message}, status=403)


def _opening_agencies(request):
    """(agencies the user may open cases for, the one chosen), or the
    service's refusal."""
    ids = service.opening_agency_ids(request.user)
    agencies = list(Agency.objects.filter(pk__in=ids).order_by("name"))  # with their regions, for the form
    wanted = request.POST.get("agency") or request.GET.get("agency")
    chosen = int(wanted) if wanted and wanted.isdigit() and int(wanted) in ids else None
    if chosen is None:
        current = current_agency_id(request)
        chosen = current if current in ids else min(ids)
    return agencies, chosen


def _context(form, formset) -> dict:
    return {"form": form, "formset": formset, "title": TITLE, "max_parties": MAX_PARTIES,
            "crumbs": [{"label": gettext_lazy("Case list"), "url": reverse("web:case-list")},
                       {"label": TITLE, "url": ""}]}


@login_required
def case_new(request):
    try:
        agencies, agency_id = _opening_agencies(request)
    except Refused as refusal:
        return _refused_page(request, refusal)
    if request.method != "POST":
        form = LeadForm(agencies=agencies, agency_id=agency_id, user=request.user)
        formset = PartyFormSet(prefix=PARTY_PREFIX)
        # Another owning agency chosen: only the people change (HTMX).
        return page(request, TEMPLATE, _context(form, formset), partial="people")
    form = LeadForm(request.POST, agencies=agencies, agency_id=agency_id, user=request.user)
    formset = PartyFormSet(request.POST, prefix=PARTY_PREFIX)
    if form.is_valid() and formset.is_valid():
        parties = filled(formset)
        try:
            case = service.create_case(
                actor=request.user, agency=form.cleaned_data["agency"], data=form.case_data(),
                handlers=form.cleaned_data["handlers"], parties=[p.party_data() for p in parties], request=request,
            )
        except Refused as refusal:
            if refusal.forbidden:
                return _refused_page(request, refusal)
            _show(refusal, form, parties)
        else:
            messages.success(request, _("Lead %(number)s logged.") % {"number": case.number})
            return HttpResponseRedirect(reverse("web:case", args=[case.pk]))
    return page(request, TEMPLATE, _context(form, formset))


def _show(refusal: Refused, form, parties) -> None:
    """The service's errors at their fields: each party's under that
    party's form, the rest on the case's form."""
    for party_form, problems in zip(parties, refusal.errors.get("parties") or [], strict=False):
        for name, found in (problems or {}).items():
            party_form.add_error(name if name in party_form.fields else None, found)
        party_form.mark_invalid()
    rest = {name: found for name, found in refusal.errors.items() if name != "parties"}
    if rest:
        refusals.to_form(form, Refused(rest, kind=refusal.kind))
    else:
        form.add_error(None, _("Correct the parties marked below."))
    form.mark_invalid()


@login_required
def party_form(request):
    """One more empty party form (HTMX): numbered after the forms the page
    has, with the formset's new total swapped in beside it."""
    try:
        service.opening_agency_ids(request.user)
    except Refused as refusal:
        return _refused_page(request, refusal)
    total = request.GET.get(f"{PARTY_PREFIX}-TOTAL_FORMS", "")
    index = int(total) if total.isdigit() else 0
    if index >= MAX_PARTIES:
        return render(request, "casehub/cases/_party_limit.html", {"max_parties": MAX_PARTIES})
    party = PartyForm(prefix=f"{PARTY_PREFIX}-{index}", empty_permitted=True, use_required_attribute=False)
    PartyFormSet(prefix=PARTY_PREFIX).add_fields(party, index)  # its "remove" box
    return render(request, "casehub/cases/_party_added.html", {"party": party, "total": index + 1,
                                                               "prefix": PARTY_PREFIX})


urlpatterns = [
    path("cases/new/", case_new, name="case-new"),
    path("cases/new/party/", party_form, name="case-new-party"),
]
