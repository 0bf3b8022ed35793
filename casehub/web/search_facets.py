"""The search page's filters as links: each facet bucket adds its filter to
the current query string (or takes it away when it is on), each active
filter is a chip that removes it. Pure functions of the query string and the
service's answer; the page number is dropped whenever the filters change."""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ..rules.workflow import Status
from ..vocabulary import Campaign, CaseKind, IpType

# (name, heading), in the order the page shows them; campaign has no facet
# but may be a filter (a link from elsewhere), so it has a chip.
FACETS = (
    ("status", _("Status")),
    ("ip_type", _("IP type")),
    ("kind", _("Case kind")),
    ("agency", _("Agency")),
    ("region", _("Region")),
    ("year", _("Year")),
)
SINGLE = frozenset({"region"})  # one value only (a subtree)
FILTERS = ("status", "ip_type", "kind", "campaign", "agency", "region", "year")
_CHOICES = {"status": dict(Status.choices), "ip_type": dict(IpType.choices), "kind": dict(CaseKind.choices),
            "campaign": dict(Campaign.choices)}


def label(name: str, key, names: dict) -> str:
    """A filter value as people read it."""
    if name in _CHOICES:
        return str(_CHOICES[name].get(str(key), key))
    if name in names:
        return names[name].get(key if name == "region" else _as_int(key), str(key))
    return str(key)


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _query(params: QueryDict) -> str:
    params = params.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def toggled(params: QueryDict, name: str, value: str) -> str:
    """The query string with this filter value added, or removed if on."""
    params = params.copy()
    values = params.getlist(name)
    if value in values:
        params.setlist(name, [v for v in values if v != value])
    elif name in SINGLE:
        params.setlist(name, [value])
    else:
        params.setlist(name, [*values, value])
    return _query(params)


def facets(params: QueryDict, found: dict, names: dict) -> list[dict]:
    """[{name, heading, buckets: [{label, count, url, active}]}] for the
    facets with at least one bucket."""
    shown = []
    for name, heading in FACETS:
        active = set(params.getlist(name))
        buckets = [{"label": label(name, b["key"], names), "count": b["count"], "active": str(b["key"]) in active,
                    "url": toggled(params, name, str(b["key"]))}
                   for b in found.get(name, ()) if b["key"] not in (None, "")]
        if buckets:
            shown.append({"name": name, "heading": heading, "buckets": buckets})
    return shown


def chips(params: QueryDict, names: dict) -> list[dict]:
    """The filters in force, each with the link that removes it."""
    headings = dict(FACETS) | {"campaign": _("Campaign")}
    return [{"heading": headings[name], "label": label(name, value, names), "name": name, "value": value,
             "url": toggled(params, name, value)}
            for name in FILTERS for value in params.getlist(name) if value]


def without(params: QueryDict, *names: str) -> str:
    """The query string without these parameters (and the page)."""
    params = params.copy()
    for name in names:
        params.pop(name, None)
    return _query(params)


def page_url(params: QueryDict, page: int) -> str:
    params = params.copy()
    params["page"] = str(page)
    return f"?{params.urlencode()}"
