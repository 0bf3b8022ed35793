"""/cases/<id>/parties/ — the tab 当事人: the case's parties as the access
module lets this reader see them (full resident ID numbers only to the
owning agency, informants only to its reviewers and head), and for those
who may contribute to the case, a form to add one. The identifiers' check
characters (GB 32100, GB 11643) are the service's rules; its refusal comes
back at the fields."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from .. import access
from ..rules.case_record import party_as_shown
from ..rules.refusal import Refused
from ..services import cases as service
from ..vocabulary import PartyKind, PartyRole
from . import refusals, rendering
from .case_frame import case_page_context, load_case, or_404
from .form_attempts import audit_invalid_form


class PartyForm(forms.Form):
    role = forms.ChoiceField(label=_("role"), choices=PartyRole.choices)
    kind = forms.ChoiceField(label=_("kind"), choices=PartyKind.choices)
    name = forms.CharField(label=_("name"), max_length=200)
    credit_code = forms.CharField(label=_("unified social credit code"), max_length=18, required=False,
                                  help_text=_("Enterprises: 18 characters (GB 32100-2015)."))
    id_number = forms.CharField(label=_("resident ID number"), max_length=18, required=False,
                                help_text=_("Individuals: 18 characters (GB 11643-1999)."))
    legal_representative = forms.CharField(label=_("legal representative"), max_length=64, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    contact = forms.CharField(label=_("contact"), max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "party-%s")
        super().__init__(*args, **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def case_parties(request, case_id: int):
    form = None
    if request.method == "POST":
        case = load_case(request, case_id, action="add_party")
        form = PartyForm(request.POST)
        if not form.is_valid():
            audit_invalid_form(request, form, object_type="case", object_id=case.pk, action="case.add_party")
        else:
            try:
                service.add_party(actor=request.user, case=case.pk, data=form.cleaned_data, request=request)
            except Refused as refused:
                if refused.forbidden:  # no form to show it in: this reader adds no parties
                    messages.error(request, refused.message)
                else:
                    refusals.to_form(form, refused)
            else:
                messages.success(request, _("Party added."))
                return HttpResponseRedirect(reverse("web:case-parties", args=[case.pk]))
    # Full ID numbers and informants for those who may see them: an audited read.
    case, parties = or_404(service.read_parties, actor=request.user, case_id=case_id, request=request)
    can_add = access.can_contribute(request.user, case)
    context = case_page_context(request, case, "parties")
    full_ids, informants = access.can_see_full_id_numbers(request.user, case), access.can_see_informants(request.user, case)
    roles, kinds = dict(PartyRole.choices), dict(PartyKind.choices)
    rows = []
    for party in parties:
        shown = party_as_shown(party, full_ids=full_ids, informants=informants)
        rows.append({**shown, "role_label": roles.get(shown["role"], shown["role"]),
                     "kind_label": kinds.get(shown["kind"], shown["kind"])})
    context.update({"parties": rows, "can_add_party": can_add,
                    "party_form": (form or PartyForm()) if can_add else None})
    response = rendering.page(request, "casehub/case/parties.html", context)
    if form is not None:
        response["HX-Push-Url"] = "false"  # a refused boosted form leaves the history as it was
    return response


urlpatterns = [path("cases/<int:case_id>/parties/", case_parties, name="case-parties")]
