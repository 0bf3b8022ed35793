"""What every tab of the case page shares: the case as the user may see it
(another agency's case is a 404, audited by the service), the header card,
the action bar and the tabs the user may open. Each tab is its own view and
URL (bookmarkable; HTMX swaps only the tab's body)."""

from dataclasses import dataclass

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .. import access
from ..models import Case
from ..rules import workflow
from ..rules.refusal import Refused
from ..services import cases as service
from ..services import deadlines
from .action_forms import DEADLINE_LABELS, FORWARD, IRREVERSIBLE, action_form


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


# Tabs that need no script of their own: HTMX swaps them into the page. A
# tab with its own static JS (notes, evidence) is opened as a page, so its
# script is loaded.
SWAPPED_TABS = frozenset({"overview", "parties", "timeline"})


def tab_allowed(user, case, tab: Tab) -> bool:
    """The audit tab is for the owning agency's auditors and head."""
    if tab.name == "audit":
        return case.owning_agency_id in access.audit_agency_ids(user)
    return True


# What the header shows of the case, fetched with it.
CASE_PAGE_ROWS = ("owning_agency", "lead_officer", "region")


def or_404(read, **kwargs):
    """A service's read, with a case the user may not see as a 404."""
    try:
        return read(**kwargs)
    except Refused as refusal:
        if refusal.not_found:
            raise Http404 from None
        raise


def case_rows():
    """Cases with what the header shows (the service filters them to what
    the user may see)."""
    return Case.objects.select_related(*CASE_PAGE_ROWS).prefetch_related("handlers")


def load_case(request, case_id, *, action: str = "read", queryset=None):
    """The case for a tab, or a 404 (the refusal is audited by the service)."""
    return or_404(service.find_case, actor=request.user, case_id=case_id, action=action, request=request,
                  queryset=case_rows() if queryset is None else queryset)


def case_page_context(request, case, tab: str | None) -> dict:
    """The header, action bar, tabs and breadcrumbs of the case page
    (`tab` None: a page of the case that is no tab, an action's form)."""
    tabs = []
    for t in TABS:
        if not tab_allowed(request.user, case, t):
            continue
        try:
            url = reverse(t.url_name, args=[case.pk])
        except NoReverseMatch:  # a tab of a later release
            continue
        tabs.append({"name": t.name, "label": t.label, "url": url, "current": t.name == tab,
                     "swapped": t.name in SWAPPED_TABS})
    if tab is not None and not any(t["current"] for t in tabs):
        raise Http404
    actions = case_actions(request.user, case)
    current = next((t["url"] for t in tabs if t["current"]), reverse("web:case", args=[case.pk]))
    return {
        "case": case,
        "tab": tab,
        "tabs": tabs,
        "crumbs": [{"label": _("Case list"), "url": reverse("web:case-list")}, {"label": case.number, "url": ""}],
        "header": case_header(case),
        "available_actions": [a["name"] for a in actions],
        "actions": actions,
        # Irreversible acts confirm in a dialog that holds their form.
        "dialogs": [action_form(a["name"], case) for a in actions if a["irreversible"]],
        "back_url": current,
    }


def case_header(case) -> dict:
    """Lead officer and handlers, the running deadline with the working
    days left, and the clock stop in force with its reason."""
    stop = deadlines.open_clock_stop(case)
    deadline = deadlines.describe(case)
    return {
        "lead_officer": case.lead_officer,
        "handlers": [h for h in case.handlers.all() if h.pk != case.lead_officer_id],
        "deadline": deadline,
        "deadline_label": DEADLINE_LABELS.get(deadline["name"], "") if deadline else "",
        "clock_stop": stop,
        "clock_reason": stop.get_reason_display() if stop else "",
    }


def case_actions(user, case) -> list[dict]:
    """Exactly the actions the core offers this user on the case (as the
    API's available_actions), the step forward first, irreversible last."""
    names = workflow.available(service.case_facts(case), access.case_roles(user, case))
    primary = next((n for n in FORWARD if n in names), None)
    ordered = ([primary] if primary else []) + [n for n in names if n != primary and n not in IRREVERSIBLE]
    ordered += [n for n in names if n in IRREVERSIBLE]
    return [{
        "name": name,
        "label": workflow.ACTIONS[name].label,
        "url": reverse("web:case-action", args=[case.pk, name]),
        "primary": name == primary,
        "irreversible": name in IRREVERSIBLE,
    } for name in ordered]
