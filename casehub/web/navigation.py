"""The left navigation: which pages the user's roles can open, grouped as
the procedure groups them (shared/ui.md). Each entry asks the access module;
templates only show what comes back. Entries whose pages do not exist yet
are not listed (no link leads to a 404)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .. import access


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    allowed: Callable[[object], bool]
    # URL prefixes that light this entry up (the case page lights 案件列表).
    prefixes: tuple[str, ...] = ()


def _member(user) -> bool:
    return bool(access.agency_ids(user))


def _opens_cases(user) -> bool:
    return bool(access.case_opening_agency_ids(user))


def _anyone(user) -> bool:
    return True


GROUPS: list[tuple[str, list[Entry]]] = [
    (_("Workbench"), [Entry(_("Workbench"), "web:workbench", _member)]),
    (_("Case handling"), [
        Entry(_("Case list"), "web:case-list", _member, ("/cases/",)),
        Entry(_("Log a lead"), "web:case-new", _opens_cases),
        Entry(_("Full-text search"), "web:search", _member),
    ]),
    (_("My account"), [
        Entry(_("Notifications"), "notifications-inbox", _anyone),
        Entry(_("My account"), "web:account", _anyone, ("/accounts/",)),
    ]),
]


def navigation(user, path: str) -> list[dict]:
    """[{label, items: [{label, url, current}]}] for the groups with at
    least one entry the user may open."""
    groups = []
    for label, entries in GROUPS:
        items = []
        for entry in entries:
            if not entry.allowed(user):
                continue
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:  # a page of a later release
                continue
            current = path == url or any(path.startswith(p) for p in entry.prefixes) and url != "/"
            items.append({"label": entry.label, "url": url, "current": current})
        if items:
            groups.append({"label": label, "items": items})
    # The most specific match alone is current (/cases/new/ is not also 案件列表).
    lit = [i for g in groups for i in g["items"] if i["current"]]
    if len(lit) > 1:
        best = max(lit, key=lambda i: len(i["url"]) if path.startswith(i["url"]) else 0)
        for item in lit:
            item["current"] = item is best
    return groups
