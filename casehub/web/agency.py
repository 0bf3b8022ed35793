"""The agency a person works as now, when they belong to several: chosen in
the top bar, kept in the session. It picks the default owner of a new case
and whose desks the workbench shows; what they may see is still every
agency they belong to (the access module)."""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from agencies.models import Agency

from .. import access

SESSION_KEY = "casehub_agency_id"


def current_agency_id(request) -> int | None:
    mine = access.agency_ids(request.user)
    if not mine:
        return None
    chosen = request.session.get(SESSION_KEY)
    return chosen if chosen in mine else min(mine)


def agencies_of(user) -> list[Agency]:
    """The user's agencies, for the switcher (one query)."""
    ids = access.agency_ids(user)
    return list(Agency.objects.filter(pk__in=ids).order_by("code")) if ids else []


@require_POST
def switch_agency(request):
    chosen = request.POST.get("agency", "")
    if chosen.isdigit() and int(chosen) in access.agency_ids(request.user):
        request.session[SESSION_KEY] = int(chosen)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    return HttpResponseRedirect(target)
