"""The agency a person works as now, when they belong to several: chosen in
the top bar, kept in the session. It picks the default owner of a new case
and whose desks the workbench shows; what they may see is still every
agency they belong to (the access module)."""

from dataclasses import dataclass

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from agencies.loading import agency_names

from .. import access

SESSION_KEY = "casehub_agency_id"


def current_agency_id(request) -> int | None:
    mine = access.agency_ids(request.user)
    if not mine:
        return None
    chosen = request.session.get(SESSION_KEY)
    return chosen if chosen in mine else min(mine)


@dataclass(frozen=True)
class AgencyRef:
    pk: int
    name: str


def agencies_of(user) -> list[AgencyRef]:
    """The user's agencies, for the switcher: read with the memberships
    when the session is (no query of its own)."""
    names = agency_names(user) if user.is_authenticated else {}
    return sorted((AgencyRef(pk, name) for pk, name in names.items()), key=lambda a: a.name)


@require_POST
def switch_agency(request):
    chosen = request.POST.get("agency", "")
    if chosen.isdigit() and int(chosen) in access.agency_ids(request.user):
        request.session[SESSION_KEY] = int(chosen)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    return HttpResponseRedirect(target)
