"""/manage/agencies/ — 机构管理 (platform administrators; anyone else a 404):
the agency directory (kind, region, parent, active) filtered by name, kind
and state, and creating and editing an agency. The rules and the audit are
agencies/services/directory.py's, as for /api/v1/agencies/."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from agencies.api.serializers import AgencySerializer
from agencies.models import Agency, AgencyKind, Region
from agencies.services import directory

from . import rendering
from .manage import crumbs, require_platform_admin, via_service

LIST = "casehub/manage/agencies.html"
FORM = "casehub/manage/agency_form.html"
LIMIT = 200
FIELDS = ("code", "name", "short_name", "kind", "region", "parent", "active")


class AgencyFilter(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=64)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *AgencyKind.choices])
    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("", _("All")), ("active", _("Active")), ("inactive", _("Inactive"))])


class AgencyForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32, help_text=_("e.g. 420500-SCJG."))
    name = forms.CharField(label=_("Name"), max_length=100)
    short_name = forms.CharField(label=_("Short name"), max_length=20, required=False,
                                 help_text=_("Used as the prefix of case numbers, e.g. 宜市监."))
    kind = forms.ChoiceField(label=_("Kind"), choices=AgencyKind.choices)
    region = forms.ChoiceField(label=_("Region"))
    parent = forms.ChoiceField(label=_("Parent agency"), required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—")] + [
            (r.code, f"{r.name}（{r.code}）") for r in Region.objects.order_by("code")]
        agencies = Agency.objects.order_by("code")
        if exclude is not None:
            agencies = agencies.exclude(pk=exclude.pk)
        self.fields["parent"].choices = [("", _("None"))] + [(str(a.pk), a.name) for a in agencies]

    def as_input(self) -> dict:
        data = {**self.cleaned_data}
        data["parent"] = int(data["parent"]) if data.get("parent") else None
        return data


def _rows(values):
    rows = Agency.objects.select_related("region", "parent").order_by("region_id", "code")
    if values.get("q"):
        q = values["q"].strip()
        rows = rows.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code__icontains=q))
    if values.get("kind"):
        rows = rows.filter(kind=values["kind"])
    if values.get("state"):
        rows = rows.filter(active=values["state"] == "active")
    return rows


@login_required
def agencies(request):
    require_platform_admin(request)
    filters = AgencyFilter(request.GET)
    values = filters.cleaned_data if filters.is_valid() else {}
    rows = list(_rows(values)[: LIMIT + 1])
    response = rendering.page(request, LIST, {
        "filters": filters, "agencies": rows[:LIMIT], "more": len(rows) > LIMIT,
        "filtered": any(values.values()), "crumbs": crumbs((_("Agencies"), "")),
    }, partial="rows")
    patch_vary_headers(response, ["HX-Request"])
    add_never_cache_headers(response)
    return response


def _form_page(request, form, agency=None, status=200):
    title = _("Edit agency") if agency else _("New agency")
    return rendering.page(request, FORM, {
        "form": form, "agency": agency, "title": title,
        "crumbs": crumbs((_("Agencies"), reverse("web:agencies")), (agency.name if agency else title, "")),
    }, status=status)


@login_required
def new_agency(request):
    require_platform_admin(request)
    form = AgencyForm(request.POST or None)
    if request.method == "POST":
        agency = form.is_valid() and via_service(form, directory.create, AgencySerializer, form.as_input(),
                                                 request=request)
        if agency:
            messages.success(request, _t("Agency “%(name)s” created.") % {"name": agency.name})
            return redirect("web:agencies")
        return _form_page(request, form, status=400)
    return _form_page(request, form)


@login_required
def edit_agency(request, agency_id: int):
    require_platform_admin(request)
    agency = get_object_or_404(Agency.objects.select_related("region"), pk=agency_id)
    initial = {name: getattr(agency, name) for name in ("code", "name", "short_name", "kind", "active")}
    initial.update(region=agency.region_id, parent=str(agency.parent_id or ""))
    form = AgencyForm(request.POST or None, initial=initial, exclude=agency)
    if request.method == "POST":
        saved = form.is_valid() and via_service(form, directory.update, AgencySerializer, form.as_input(),
                                                request=request, agency_id=agency.pk)
        if saved:
            messages.success(request, _t("Agency “%(name)s” saved.") % {"name": saved.name})
            return redirect("web:agencies")
        return _form_page(request, form, agency, status=400)
    return _form_page(request, form, agency)


urlpatterns = [
    path("manage/agencies/", agencies, name="agencies"),
    path("manage/agencies/new/", new_agency, name="agency-new"),
    path("manage/agencies/<int:agency_id>/", edit_agency, name="agency-edit"),
]
