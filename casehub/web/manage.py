"""What the administration pages (/manage/…) share: the agency being
administered (an agency administrator's own, or for a platform
administrator any agency, chosen in the page's agency picker), the
breadcrumbs, the 404 for whoever administers nothing here, and a form's
data given to its service through the API's serializer (refusals at the
form's fields, or as a message when there is no form)."""

from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency

from .. import access
from ..rules.refusal import Refused
from .refusals import to_form


def managed_agencies(user):
    """The active agencies whose members the user manages, by code."""
    managed = access.managed_agency_ids(user)
    agencies = Agency.objects.filter(active=True).order_by("code")
    return agencies if managed is None else agencies.filter(pk__in=managed)


def chosen_agency(request, value=None) -> tuple[Agency, list[Agency]]:
    """The agency the request administers (?agency=, or the first one the
    user manages) and the list to choose from. Someone who administers
    none, or not the one asked for, gets a 404."""
    agencies = list(managed_agencies(request.user))
    if not agencies:
        raise Http404
    value = request.GET.get("agency") if value is None else value
    if value in (None, ""):
        return agencies[0], agencies
    for agency in agencies:
        if str(agency.pk) == str(value):
            return agency, agencies
    raise Http404


def posted_agency(request) -> Agency:
    """The agency a form posted to (its hidden agency field), as chosen_agency."""
    return chosen_agency(request, request.POST.get("agency", ""))[0]


def trimmed(form, **extra) -> dict:
    """A valid account form's data, its username trimmed, with `extra`."""
    return {**form.cleaned_data, "username": form.cleaned_data["username"].strip(), **extra}


def via_service(form, act, serializer_class, data: dict, *, request, **ids):
    """The form's `data` given to the service function `act` through the
    API's serializer, bound as the API binds it: for a new object
    `serializer=`; for the existing one named in `ids` (e.g. account_id=…)
    `serializer_for=` a partial update. What `act` returns, or None when it
    refused (the refusal is then at the form's fields)."""
    if ids:
        binding = {**ids, "serializer_for": lambda obj: serializer_class(obj, data=data, partial=True)}
    else:
        binding = {"serializer": serializer_class(data=data)}
    try:
        return act(actor=request.user, request=request, **binding)
    except Refused as refusal:
        to_form(form, refusal)
        return None


def require_platform_admin(request) -> None:
    if not access.is_platform_admin(request.user):
        raise Http404


def crumbs(*trail) -> list[dict]:
    """[(label, url)] after 工作台; the last is the current page."""
    return [{"label": _("Workbench"), "url": reverse("web:workbench")},
            *({"label": label, "url": url} for label, url in trail)]


class AgencyPicker(forms.Form):
    agency = forms.ChoiceField(label=_("Agency"))

    def __init__(self, agencies, agency, *args, **kwargs):
        kwargs.setdefault("auto_id", "pick_%s")
        super().__init__({"agency": str(agency.pk)}, *args, **kwargs)
        self.fields["agency"].choices = [(str(a.pk), a.name) for a in agencies]


def refusal_message(request, refusal) -> None:
    """A refused act with no form to show it in (a dialog's button): another
    agency's object is a 404; anything else a message at the top."""
    from django.contrib import messages

    from ..rules.refusal import Kind

    if refusal.kind == Kind.NOT_FOUND:
        raise Http404
    messages.error(request, refusal.message)


def act_or_tell(request, call):
    """An act with no form (a dialog's button): what `call()` returns, or
    None when it was refused (the refusal then told as refusal_message does)."""
    try:
        return call()
    except Refused as refusal:
        refusal_message(request, refusal)
        return None
