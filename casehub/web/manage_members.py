"""/manage/members/ — 人员与角色: the members of an agency the user
administers and their roles (one membership = one role), filtered by role,
state and name, newest first in keyset pages; add a member (an existing
user by username, or a new user whose first password is shown once),
change a role, end a membership (confirmed in a dialog). The rules and the
audit are agencies/services/memberships.py's, as for /api/v1/memberships/."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from agencies.api.serializers import ManagedMembershipSerializer, NewMemberSerializer
from agencies.models import Membership, User
from agencies.roles import Role
from agencies.services import memberships

from . import keyset, rendering
from .manage import AgencyPicker, act_or_tell, chosen_agency, crumbs, posted_agency, trimmed, via_service

TEMPLATE = "casehub/manage/members.html"
PAGE_SIZE = 50
NEW_IDS = "new_%s"  # the new-user form's ids, apart from the add form's
USERNAME_LENGTH = User._meta.get_field("username").max_length


class MemberFilter(forms.Form):
    q = forms.CharField(label=_("Name or username"), required=False, max_length=64)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("", _("Current")), ("ended", _("Ended")), ("all", _("All"))])


class AddMemberForm(forms.Form):
    user = forms.CharField(label=_("Username"), max_length=USERNAME_LENGTH,
                           help_text=_("The username of someone who already has an account."))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class NewUserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=USERNAME_LENGTH)
    full_name = forms.CharField(label=_("Full name"), max_length=User._meta.get_field("full_name").max_length)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


def _rows(agency, values: dict):
    rows = Membership.objects.filter(agency=agency, user__service_agency__isnull=True).select_related("user")
    state = values.get("state") or ""
    if state == "":
        rows = rows.filter(ended_at__isnull=True)
    elif state == "ended":
        rows = rows.filter(ended_at__isnull=False)
    if values.get("role"):
        rows = rows.filter(role=values["role"])
    if values.get("q"):
        q = values["q"].strip()
        rows = rows.filter(Q(user__full_name__icontains=q) | Q(user__username__icontains=q))
    return rows


def _page(request, *, add_form=None, new_form=None, new_member=None, new_password=None, status=200,
          agency_value=None):
    agency, agencies = chosen_agency(request, agency_value)
    filters = MemberFilter(request.GET, auto_id="filter_%s")  # ids apart from the add form's
    values = filters.cleaned_data if filters.is_valid() else {}
    page = keyset.newest_first(_rows(agency, values), request, size=PAGE_SIZE)
    query = {k: v for k, v in request.GET.items() if k not in ("before", "after") and v}
    here = reverse("web:members")

    def link(**cursor):
        return f"{here}?{urlencode({**query, **cursor})}"

    context = {
        "agency": agency, "picker": AgencyPicker(agencies, agency) if len(agencies) > 1 else None,
        "filters": filters, "page": page,
        "newer_url": link(after=page.newer) if page.newer else None,
        "older_url": link(before=page.older) if page.older else None,
        "add_form": add_form or AddMemberForm(), "new_form": new_form or NewUserForm(auto_id=NEW_IDS),
        "new_member": new_member, "new_password": new_password,
        "filtered": any(query.get(k) for k in ("q", "role", "state")),
        "crumbs": crumbs((_("Members and roles"), "")),
    }
    response = rendering.page(request, TEMPLATE, context, partial="rows", status=status)
    patch_vary_headers(response, ["HX-Request"])
    add_never_cache_headers(response)  # and a first password is in this page alone
    return response


@login_required
def members(request):
    return _page(request)


def _back(agency):
    return redirect(f"{reverse('web:members')}?{urlencode({'agency': agency.pk})}")


@require_POST
@login_required
def add_member(request):
    agency = posted_agency(request)
    form = AddMemberForm(request.POST)
    if form.is_valid():
        data = {"agency": agency.pk, "user": form.cleaned_data["user"].strip(), "role": form.cleaned_data["role"]}
        membership = via_service(form, memberships.add, ManagedMembershipSerializer, data, request=request)
        if membership is not None:
            messages.success(request, _t("%(name)s added as %(role)s.") % {
                "name": membership.user.display_name, "role": membership.get_role_display()})
            return _back(agency)
    return _page(request, add_form=form, status=400, agency_value=agency.pk)


@require_POST
@login_required
def add_new_user(request):
    agency = posted_agency(request)
    form = NewUserForm(request.POST, auto_id=NEW_IDS)
    if form.is_valid():
        added = via_service(form, memberships.add_new_user, NewMemberSerializer, trimmed(form, agency=agency.pk),
                            request=request)
        if added is not None:
            membership, password = added
            return _page(request, new_member=membership, new_password=password, agency_value=agency.pk)
    return _page(request, new_form=form, status=400, agency_value=agency.pk)


def _membership(request, membership_id):
    """A membership of an agency the user administers (others: 404)."""
    membership = get_object_or_404(Membership.objects.select_related("user", "agency"), pk=membership_id,
                                   user__service_agency__isnull=True)
    chosen_agency(request, membership.agency_id)
    return membership


@login_required
def change_role(request, membership_id: int):
    membership = _membership(request, membership_id)
    form = RoleForm(request.POST or None, initial={"role": membership.role})
    status = 200
    if request.method == "POST":
        changed = form.is_valid() and via_service(form, memberships.change, ManagedMembershipSerializer,
                                                  form.cleaned_data, request=request, membership_id=membership.pk)
        if changed:
            messages.success(request, _t("%(name)s is now %(role)s.") % {
                "name": changed.user.display_name, "role": changed.get_role_display()})
            return _back(changed.agency)
        status = 400
    return rendering.page(request, "casehub/manage/member_role.html", {
        "membership": membership, "form": form,
        "back_url": f"{reverse('web:members')}?{urlencode({'agency': membership.agency_id})}",
        "crumbs": crumbs((_("Members and roles"), reverse("web:members")), (_("Change role"), "")),
    }, status=status)


@require_POST
@login_required
def end_membership(request, membership_id: int):
    membership = _membership(request, membership_id)
    ended = act_or_tell(request, lambda: memberships.end(actor=request.user, membership_id=membership.pk,
                                                         request=request))
    if ended is not None:
        membership = ended
        messages.success(request, _t("%(name)s no longer holds the role %(role)s.") % {
            "name": membership.user.display_name, "role": membership.get_role_display()})
    return _back(membership.agency)


urlpatterns = [
    path("manage/members/", members, name="members"),
    path("manage/members/add/", add_member, name="member-add"),
    path("manage/members/new-user/", add_new_user, name="member-new-user"),
    path("manage/members/<int:membership_id>/role/", change_role, name="member-role"),
    path("manage/members/<int:membership_id>/end/", end_membership, name="member-end"),
]
