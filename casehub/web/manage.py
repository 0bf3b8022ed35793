"""What the administration pages (/manage/…) share: the agency being
administered (an agency administrator's own, or for a platform
administrator any agency, chosen in the page's agency picker), the
breadcrumbs and the 404 for whoever administers nothing here."""

from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency

from .. import access


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
