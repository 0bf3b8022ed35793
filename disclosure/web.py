"""The public credit portal (no sign-in, Chinese by default): the list of
penalty decisions now public, searched and filtered; each record's page with
its revisions; the documentation of the change feed for credit platforms;
an Atom feed of what was published or corrected. Rate limited like the API
(one budget per address); what is shown is services.snapshot's only."""

import json

from django import forms
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casehub.rate_limits import parse_rate
from casehub.rules.identifiers import is_valid_credit_code
from casehub.rules.workflow import PenaltyType
from casehub.vocabulary import IpType
from casehub.web import rendering
from casehub.web.widgets import DateInput, Select, TextInput

from . import portal, services
from .history import revisions
from .api.public import MAX_CHANGES, ChangeParams
from .models import DisclosureChange
from .throttling import throttled

_PENALTIES = dict(PenaltyType.choices)
_IP_TYPES = dict(IpType.choices)


def _penalty_labels(snapshot: dict) -> str:
    return "、".join(str(_PENALTIES[p]) for p in snapshot["penalties"] if p in _PENALTIES)


def _shown(snapshot: dict) -> dict:
    """A snapshot with its labels for the page (the snapshot itself unchanged)."""
    return {**snapshot, "penalty_labels": _penalty_labels(snapshot),
            "ip_type_label": _IP_TYPES.get(snapshot["ip_type"], snapshot["ip_type"]),
            "is_enterprise": snapshot["party_kind"] == "enterprise"}


# --- the list ---------------------------------------------------------------------
class SearchInput(TextInput):
    input_type = "search"


class PortalFilters(forms.Form):
    """The portal's search: the public API's list filters as a form (the
    same names, so a portal address is an API address)."""

    q = forms.CharField(label=gettext_lazy("Enterprise name or unified social credit code"), required=False,
                        max_length=100, widget=SearchInput(attrs={"autocomplete": "off", "enterkeyhint": "search"}))
    agency = forms.ChoiceField(label=gettext_lazy("deciding agency"), required=False, widget=Select)
    ip_type = forms.ChoiceField(label=gettext_lazy("IP type"), required=False, widget=Select)
    decided_after = forms.DateField(label=gettext_lazy("Decided from"), required=False,
                                    widget=DateInput(format="%Y-%m-%d"))
    decided_before = forms.DateField(label=gettext_lazy("Decided until"), required=False,
                                     widget=DateInput(format="%Y-%m-%d"))

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["agency"].choices = [*everything, *agencies]
        self.fields["ip_type"].choices = [*everything, *IpType.choices]
        for name, field in self.fields.items():  # the errors' list under each field (_search_field.html)
            field.widget.attrs["aria-describedby"] = f"id_{name}-errors"

    def clean_q(self):
        text = " ".join(self.cleaned_data["q"].split())
        if portal.looks_like_credit_code(text) and not is_valid_credit_code(text):
            raise forms.ValidationError(_("This is not a valid unified social credit code (its check character "
                                          "does not match). Check the code, or search by the enterprise's name."))
        return text

    def clean(self):
        data = super().clean()
        after, before = data.get("decided_after"), data.get("decided_before")
        if after and before and after > before:
            self.add_error("decided_before", _("The end of the range is before its start."))
        return data


FILTER_NAMES = ("q", "agency", "ip_type", "decided_after", "decided_before")


@throttled(page=True)
def portal_list(request):
    """/public/disclosures/: the search form, the total and a page of
    records; to HTMX the results only. Bad input: the message at its field
    and no results (a 200: the page itself is fine)."""
    form = PortalFilters(request.GET or None, agencies=portal.deciding_agencies())
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    page = portal.page_of(data, _page_number(request.GET.get("page"))) if valid else None
    filtered = valid and any(data.get(name) for name in FILTER_NAMES)
    query = {name: request.GET[name] for name in FILTER_NAMES if request.GET.get(name)}
    context = {
        "form": form, "page": page, "rows": [_shown(r) for r in page.rows] if page else [],
        "filtered": filtered, "page_links": _page_links(page, query) if page else {},
        "csv_url": _with_query(reverse("v1:public-disclosures-csv"), query if valid else {}),
        "api_url": _with_query(reverse("v1:public-disclosures"), query if valid else {}),
    }
    response = rendering.page(request, "disclosure/public/list.html", context, partial="results")
    return _public(response)


def _page_number(value) -> int:
    """?page=: a number (clamped to the pages there are), anything else the first."""
    return int(value) if value and value.isdigit() and len(value) < 7 else 1


def _with_query(url: str, query: dict) -> str:
    from urllib.parse import urlencode

    return f"{url}?{urlencode(query)}" if query else url


def _page_links(page: portal.Page, query: dict) -> dict:
    url = reverse("public-portal")

    def to(number):
        return _with_query(url, {**query, "page": number} if number > 1 else query)

    return {"previous": to(page.number - 1) if page.number > 1 else None,
            "next": to(page.number + 1) if page.number < page.pages else None,
            "first": to(1) if page.number > 2 else None}


def _public(response):
    # One address answers the page or, to HTMX, its results: caches keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    patch_cache_control(response, private=True, max_age=0)
    return response


# --- one record -----------------------------------------------------------------------
@throttled(page=True)
def record_page(request, pk: int):
    """A public record: what the disclosure rules publish, and its revisions.
    Once it is not public (revoked, repaired, expired) it is a 404 like an
    id that never was, saying why a record may have gone."""
    record = portal.public_record(pk)
    if record is None:
        return rendering.page(request, "disclosure/public/gone.html", {}, status=404)
    history = revisions(record, public=True)  # the same source as the desk's, as the public may see it
    snap = services.snapshot(record)
    crumbs = [{"label": _("Administrative penalty disclosure"), "url": reverse("public-portal")},
              {"label": snap["decision_number"], "url": ""}]
    context = {"r": _shown(snap), "history": history, "crumbs": crumbs}
    return _public(rendering.page(request, "disclosure/public/record.html", context))


# --- the change feed's documentation ------------------------------------------------------
_EXAMPLE_RECORD = {
    "id": 1024, "decision_number": "宜市监处罚〔2026〕88号", "party_kind": "enterprise",
    "party_name": "宜昌某某商贸有限公司", "credit_code": "91420500MA4F0K2W7A", "violation_type": "侵犯注册商标专用权",
    "legal_basis": "《中华人民共和国商标法》第六十条第二款", "penalties": ["fine", "confiscate_goods"],
    "fine_amount": "150000.00", "confiscated_amount": None, "ip_type": "trademark",
    "agency": "宜昌市市场监督管理局", "agency_code": "420500-SCJG", "decision_date": "2026-03-02",
    "published_on": "2026-03-09", "publicity_ends_on": "2029-03-08", "revision": 2,
    "correction_note": "复议决定变更罚款金额",
}


# What each key of services.snapshot means (a test holds the names equal to its keys).
RECORD_FIELDS = [
    ("id", gettext_lazy("The record's id (the record of a change).")),
    ("decision_number", gettext_lazy("The decision document number.")),
    ("party_kind", gettext_lazy("enterprise or individual.")),
    ("party_name", gettext_lazy("An enterprise's name; an individual's masked name (张**).")),
    ("credit_code", gettext_lazy("An enterprise's unified social credit code; empty for an individual.")),
    ("violation_type", gettext_lazy("The type of the violation.")),
    ("legal_basis", gettext_lazy("The provisions the penalty was decided under.")),
    ("penalties", gettext_lazy("The penalties, as codes (below).")),
    ("fine_amount", gettext_lazy("The fine in yuan, as a string with two decimals; null when none.")),
    ("confiscated_amount", gettext_lazy("The value confiscated in yuan; null when none.")),
    ("ip_type", gettext_lazy("The right infringed, as a code (below).")),
    ("agency", gettext_lazy("The deciding agency's name.")),
    ("agency_code", gettext_lazy("The deciding agency's code.")),
    ("decision_date", gettext_lazy("The day of the decision (YYYY-MM-DD).")),
    ("published_on", gettext_lazy("The day it was published.")),
    ("publicity_ends_on", gettext_lazy("The last day it is public.")),
    ("revision", gettext_lazy("1, then one more with each correction.")),
    ("correction_note", gettext_lazy("What the last correction changed; empty before any.")),
]


def feed_example() -> dict:
    """A page of the change feed as the API answers it (the keys are the
    serializer's; a test holds them equal to services.snapshot's)."""
    return {
        "changes": [
            {"cursor": 5120, "kind": "corrected", "record": 1024, "at": "2026-04-01T10:12:03+08:00",
             "record_data": _EXAMPLE_RECORD},
            {"cursor": 5121, "kind": "withdrawn", "record": 998, "at": "2026-04-01T11:40:27+08:00",
             "record_data": None},
        ],
        "next": 5121, "has_more": False,
    }


@throttled(page=True)
def feeds_page(request):
    """/public/disclosures/feeds/: for credit platforms, how to follow the
    change feed (cursor, fields, kinds, polling, limits), the Atom feed and
    the CSV export."""
    limit_field = ChangeParams().fields["limit"]
    count, seconds = parse_rate(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public"])
    context = {
        "crumbs": [{"label": _("Administrative penalty disclosure"), "url": reverse("public-portal")},
                   {"label": _("Data feeds for credit platforms"), "url": ""}],
        "base": request.build_absolute_uri("/").rstrip("/"), "fields": RECORD_FIELDS,
        "rate_count": count, "rate_seconds": seconds,
        "changes_url": reverse("v1:public-disclosure-changes"), "list_url": reverse("v1:public-disclosures"),
        "csv_url": reverse("v1:public-disclosures-csv"), "atom_url": reverse("public-disclosures-feed"),
        "schema_url": reverse("api-docs"),
        "max_changes": MAX_CHANGES, "default_limit": limit_field.default,
        "example": json.dumps(feed_example(), ensure_ascii=False, indent=2),
        "penalties": PenaltyType.choices, "ip_types": IpType.choices,
    }
    return _public(rendering.page(request, "disclosure/public/feeds.html", context))


# --- Atom --------------------------------------------------------------------------------
class DisclosureFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Administrative penalty disclosures")

    def link(self):
        return reverse("public-portal")

    def feed_url(self):
        return reverse("public-disclosures-feed")

    def subtitle(self):
        return _("IP administrative penalties published by the agencies of 宜荆荆恩")

    def items(self):
        # What was published or corrected lately, while still public.
        public = services.public_records().values("pk")
        return (DisclosureChange.objects.filter(kind__in=["published", "corrected"], record_id__in=public)
                .order_by("-id")[:50])

    def item_title(self, change):
        s = change.snapshot
        label = _("Correction") + "：" if change.kind == "corrected" else ""
        return f"{label}{s['agency']} {s['decision_number']} {s['party_name']}"

    def item_description(self, change):
        s = change.snapshot
        parts = [s["violation_type"], _penalty_labels(s)]
        if s.get("fine_amount"):
            parts.append(_("fine ¥%(amount)s") % {"amount": s["fine_amount"]})
        if s.get("correction_note"):
            parts.append(s["correction_note"])
        return "；".join(p for p in parts if p)

    def item_link(self, change):
        return reverse("public-disclosure-page", args=[change.record_id]) + f"#r{change.snapshot.get('revision', 1)}"

    def item_guid(self, change):
        return f"casehub-disclosure-change-{change.pk}"

    def item_pubdate(self, change):
        return change.at


feed = throttled(DisclosureFeed())
