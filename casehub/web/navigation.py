"""The left navigation: which pages the user's roles can open, grouped as
the procedure groups them (shared/ui.md). Each entry asks the access module;
templates only show what comes back. Entries whose pages do not exist yet
are not listed (no link leads to a 404)."""

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
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


def _supervises(user) -> bool:
    return bool(access.supervising_agency_ids(user))


def _decides_disclosures(user) -> bool:
    return bool(access.agency_ids_with_role(user, access.DISCLOSURE_DECIDERS))


def _manages_members(user) -> bool:
    return access.managed_agency_ids(user) != set()


def _platform(user) -> bool:
    return access.is_platform_admin(user)


GROUPS: list[tuple[str, list[Entry]]] = [
    (_("Workbench"), [Entry(_("Workbench"), "web:workbench", _member)]),
    (_("Case handling"), [
        Entry(_("Case list"), "web:case-list", _member, ("/cases/",)),
        Entry(_("Log a lead"), "web:case-new", _opens_cases),
        Entry(_("Full-text search"), "web:search", _member),
    ]),
    (_("Cross-agency cases"), [
        Entry(_("Transferred cases"), "web:transfers", _member, ("/transfers/",)),
        Entry(_("Assistance requests"), "web:assistance", _member, ("/assistance/",)),
        Entry(_("Supervision desk"), "web:supervision", _supervises, ("/supervision/",)),
    ]),
    (_("Credit disclosure"), [
        Entry(_("Disclosure management"), "web:disclosures", _decides_disclosures, ("/disclosures/",)),
        Entry(_("Credit repair"), "web:credit-repairs", _decides_disclosures, ("/credit-repairs/",)),
        Entry(_("Enterprise credit"), "web:credit", _member, ("/credit/",)),
    ]),
    (_("Statistical analysis"), [
        Entry(_("Dashboard"), "web:dashboard", access.reads_statistics, ("/dashboard/",)),
        Entry(_("Statistical reports"), "web:statistics-report", access.reads_statistics, ("/statistics/",)),
    ]),
    (_("System administration"), [
        Entry(_("Members and roles"), "web:members", _manages_members, ("/manage/members/",)),
        Entry(_("Service accounts"), "web:service-accounts", _manages_members, ("/manage/service-accounts/",)),
        Entry(_("Working calendar"), "web:calendar", _platform, ("/manage/calendar/",)),
        Entry(_("Agencies"), "web:agencies", _platform, ("/manage/agencies/",)),
    ]),
    (_("My account"), [
        Entry(_("Notifications"), "notifications-inbox", _anyone),
        Entry(_("My account"), "web:account", _anyone, ("/accounts/",)),
    ]),
]


# The URLconf is the same for every request: each entry's address is
# reversed once per (script prefix, URLconf), None for a page not there.
_urls: dict[tuple, str | None] = {}


def _forget_urls(*, setting, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _urls.clear()


setting_changed.connect(_forget_urls, dispatch_uid="casehub_web_navigation_urls")


def _url(name: str) -> str | None:
    key = (name, get_script_prefix(), get_urlconf())
    if key not in _urls:
        try:
            _urls[key] = reverse(name)
        except NoReverseMatch:  # a page of a later release
            _urls[key] = None
    return _urls[key]


def navigation(user, path: str) -> list[dict]:
    """[{label, items: [{label, url, current}]}] for the groups with at
    least one entry the user may open."""
    groups = []
    for label, entries in GROUPS:
        items = []
        for entry in entries:
            if not entry.allowed(user):
                continue
            url = _url(entry.url_name)
            if url is None:
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


MAIN_LABEL = _("Main navigation")
_CURRENT = ' aria-current="page"'
# language -> {id of a label of GROUPS: (the label, its text escaped)}; the
# label is kept so that its id stays its own (hashing a lazy text would
# translate it on every look-up).
_labels: dict[str, dict[int, tuple]] = {}


def _label(text) -> str:
    texts = _labels.setdefault(get_language(), {})
    kept = texts.get(id(text))
    if kept is None or kept[0] is not text:
        kept = texts[id(text)] = (text, escape(str(text)))
    return kept[1]


def draw(groups: list[dict]) -> str:
    """The left navigation of `navigation()`'s groups, as a <nav>."""
    html = [f'<nav id="sidenav" class="sidenav" aria-label="{_label(MAIN_LABEL)}">']
    for group in groups:
        items = "".join(f'<li><a href="{escape(item["url"])}"{_CURRENT if item["current"] else ""}>'
                        f'{_label(item["label"])}</a></li>' for item in group["items"])
        html.append(f'    <div class="nav-group">\n      <div class="nav-group-label">{_label(group["label"])}</div>\n'
                    f"      <ul>{items}</ul>\n    </div>")
    html.append("  </nav>")
    return mark_safe("\n".join(html))
