"""What every tab of the case page shares: the case as the user may see it
(another agency's case is a 404, audited by the service), the header card,
the action bar and the tabs the user may open. Each tab is its own view and
URL (bookmarkable; HTMX swaps only the tab's body)."""

from dataclasses import dataclass

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .. import access
from ..rules.refusal import Refused
from ..services import cases as service


@dataclass(frozen=True)
class Tab:
    name: str
    label: str
    url_name: str


TABS = (
    Tab("overview", _("Basic information"), "web:case"),
    Tab("parties", _("Parties"), "web:case-parties"),
    Tab("timeline", _("Case process"), "web:case-timeline"),
    Tab("notes", _("Notes"), "web:case-notes"),
    Tab("evidence", _("Evidence"), "web:case-evidence"),
    Tab("cooperation", _("Transfers and assistance"), "web:case-cooperation"),
    Tab("audit", _("Audit records"), "web:case-audit"),
)


def tab_allowed(user, case, tab: Tab) -> bool:
    """The audit tab is for the owning agency's auditors and head."""
    if tab.name == "audit":
        return case.owning_agency_id in access.audit_agency_ids(user)
    return True


def load_case(request, case_id, *, action: str = "read", queryset=None):
    """The case for a tab, or a 404 (the refusal is audited by the service)."""
    try:
        return service.find_case(actor=request.user, case_id=case_id, action=action, request=request,
                                 queryset=queryset)
    except Refused as refusal:
        if refusal.not_found:
            raise Http404 from None
        raise


def case_page_context(request, case, tab: str) -> dict:
    """The header, action bar, tabs and breadcrumbs of the case page."""
    tabs = []
    for t in TABS:
        if not tab_allowed(request.user, case, t):
            continue
        try:
            url = reverse(t.url_name, args=[case.pk])
        except NoReverseMatch:  # a tab of a later release
            continue
        tabs.append({"name": t.name, "label": t.label, "url": url, "current": t.name == tab})
    if not any(t["current"] for t in tabs):
        raise Http404
    return {
        "case": case,
        "tab": tab,
        "tabs": tabs,
        "crumbs": [{"label": _("Case list"), "url": reverse("web:case-list")}, {"label": case.number, "url": ""}],
    }
