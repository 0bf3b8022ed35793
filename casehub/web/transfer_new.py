"""/cases/<id>/transfers/new/ — propose transferring the case (移送): its
kind, the receiving agency, the grounds, and the materials, each of a kind,
with a title and, if one fits, a file of the case's evidence. The rows start
with the materials Order 310 requires of a suspected crime. The transfer
service decides (routing, who may propose, one transfer under way at a
time); its refusal shows at the fields."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from agencies.models import Agency

from .. import access
from ..rules import transfers as rules
from ..rules.transfers import MaterialKind, TransferKind
from ..rules.refusal import Refused
from ..services import transfers as service
from . import refusals, rendering
from .case_frame import case_page_context, load_case
from .form_attempts import audit_invalid_form

TEMPLATE = "casehub/transfers/new.html"
EXTRA_ROWS = 2


class ProposeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of transfer"), choices=[("", "—"), *TransferKind.choices])
    to_agency = forms.TypedChoiceField(label=_("Receiving agency"), coerce=int, choices=())
    reason = forms.CharField(label=_("grounds for the transfer"), max_length=20000,
                             widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, auto_id="transfer-%s", **kwargs)
        agencies = Agency.objects.filter(active=True).exclude(pk=case.owning_agency_id).order_by("code")
        self.fields["to_agency"].choices = [("", "—"), *((a.pk, a.name) for a in agencies.only("pk", "name"))]


class MaterialRow(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of material"), required=False, choices=[("", "—"), *MaterialKind.choices])
    title = forms.CharField(label=_("title"), required=False, max_length=200)
    file = forms.TypedChoiceField(label=_("A file of the case's evidence"), required=False, coerce=int,
                                  empty_value=None)

    def __init__(self, *args, files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].choices = [("", "—"), *files]

    def clean(self):
        data = super().clean()
        if any(data.get(n) for n in ("kind", "title", "file")):
            for name, message in (("kind", _("Choose a kind of material.")), ("title", _("Give the material a title."))):
                if not data.get(name):
                    self.add_error(name, message)
        return data

    def material(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("kind"):
            return None
        return {"kind": data["kind"], "title": data["title"], "file": data.get("file")}


MaterialRows = forms.formset_factory(MaterialRow, extra=0, max_num=20, absolute_max=20)


def _rows(case, data=None):
    files = [(f.pk, f.name) for f in case.files.order_by("id").only("pk", "name")]
    labels = dict(MaterialKind.choices)
    initial = None if data is not None else [
        {"kind": k, "title": labels[k]} for k in rules.required_materials(TransferKind.SUSPECTED_CRIME)
    ] + [{}] * EXTRA_ROWS
    return MaterialRows(data, initial=initial, prefix="materials", form_kwargs={"files": files})


def _show(request, case, form, rows, *, status=200):
    context = {**case_page_context(request, case, None), "form": form, "rows": rows,
               "required": {k: [str(dict(MaterialKind.choices)[m]) for m in rules.required_materials(k)]
                            for k in TransferKind.values}}
    response = rendering.page(request, TEMPLATE, context, status=status)
    if request.method == "POST":
        response["HX-Push-Url"] = "false"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def propose_transfer(request, case_id: int):
    case = load_case(request, case_id, action="read" if request.method == "GET" else "propose_transfer")
    if request.method == "GET":
        if not access.can_propose_transfer(request.user, case):
            messages.error(request, _("Only the owning agency's handlers propose a transfer."))
            return HttpResponseRedirect(reverse("web:case-cooperation", args=[case.pk]))
        return _show(request, case, ProposeForm(case=case), _rows(case))
    form, rows = ProposeForm(request.POST, case=case), _rows(case, request.POST)
    status = 200 if getattr(request, "htmx", None) else 400
    if not (form.is_valid() & rows.is_valid()):
        audit_invalid_form(request, form, object_type="case", object_id=case.pk, action="transfer.propose")
        return _show(request, case, form, rows, status=status)
    materials = [m for m in (r.material() for r in rows) if m]
    try:
        transfer = service.propose(actor=request.user, case=case.pk, kind=form.cleaned_data["kind"],
                                   to_agency=form.cleaned_data["to_agency"], reason=form.cleaned_data["reason"],
                                   materials=materials, request=request)
    except Refused as refused:
        _material_errors(rows, refused)
        refusals.to_form(form, refused)
        return _show(request, case, form, rows, status=status)
    messages.success(request, _("Transfer proposed; it awaits the head's approval."))
    return HttpResponseRedirect(reverse("web:transfer", args=[transfer.pk]))


def _material_errors(rows, refused) -> None:
    """The service's errors for each material go under that row's fields."""
    errors = (refused.errors or {}).pop("materials", None)
    if not isinstance(errors, list):
        return
    filled = [r for r in rows if r.material()]
    for row, problems in zip(filled, errors, strict=False):
        for name, messages_ in (problems or {}).items():
            for message in refusals.flatten(messages_):
                row.add_error(name if name in row.fields else None, message)
    if not refused.errors:
        refused.errors["detail"] = [_("Correct the materials marked in red.")]


urlpatterns = [path("cases/<int:case_id>/transfers/new/", propose_transfer, name="case-transfer-new")]
