"""Searching cases, as an act: the query and its filters validated, run
against the backend over the cases the searcher's agencies may see, and
audited once — what was asked (query, filters, page) and how many cases
matched, never the hits themselves; an invalid search is audited as
refused, with its reasons."""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy
from elasticsearch import ApiError, TransportError
from rest_framework import serializers

from agencies.services.input import clean, validated
from casehub import access, audit
from casehub.rules.refusal import Refused
from casehub.rules.workflow import Status
from casehub.vocabulary import Campaign, CaseKind, IpType

from .backends import get_backend
from .query_syntax import QuerySyntaxError, parse
from .sync import lagging_cases

log = logging.getLogger("casehub.search")


class SearchParams(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=500, trim_whitespace=False)
    status = serializers.MultipleChoiceField(choices=Status.choices, required=False)
    ip_type = serializers.MultipleChoiceField(choices=IpType.choices, required=False)
    kind = serializers.MultipleChoiceField(choices=CaseKind.choices, required=False)
    campaign = serializers.MultipleChoiceField(choices=Campaign.choices, required=False)
    agency = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    region = serializers.RegexField(r"^[0-9A-Z-]{2,12}$", required=False)
    year = serializers.ListField(child=serializers.IntegerField(min_value=2000, max_value=2100), required=False)
    sort = serializers.ChoiceField(choices=["relevance", "recent"], default="relevance")
    page = serializers.IntegerField(min_value=1, max_value=500, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=50, default=20)


SYNTAX_MESSAGES = {
    "unknown_field": gettext_lazy("Unknown field prefix “%(detail)s:”. Use number:, code:, party:, title:, facts: or file:."),
    "too_long": gettext_lazy("The query is longer than %(detail)s characters."),
    "too_many_terms": gettext_lazy("The query has more than %(detail)s terms."),
}

MANY = frozenset({"status", "ip_type", "kind", "campaign", "agency", "year"})  # may repeat: ?status=a&status=b
FILTERS = ("status", "ip_type", "kind", "campaign", "agency", "region", "year")
_PARAMS_AUDITED = 20  # a query string's names kept in the audit entry of a refused search


def _as_given(query_params) -> dict:
    """What was asked, as the audit keeps it (an invalid search too)."""
    kept = {}
    for name in list(query_params)[:_PARAMS_AUDITED]:
        values = [clean(v, 500) for v in query_params.getlist(name)[:_PARAMS_AUDITED]]
        kept[clean(name, 40)] = values if len(values) != 1 else values[0]
    return kept


def _params(query_params) -> dict:
    """The query string, validated."""
    data = {}
    for name in query_params:
        data[name] = query_params.getlist(name) if name in MANY else query_params.get(name)
    # Control characters never arrive: a query string with one is a 400
    # naming the parameter before any view (casehub/request_limits.py).
    return validated(SearchParams(data=data))


def _local(stamp: str) -> str:
    """An index's UTC timestamp in the current time zone, as the rest of the
    API shows times."""
    parsed = parse_datetime(stamp) if stamp else None
    return timezone.localtime(parsed).isoformat() if parsed and timezone.is_aware(parsed) else stamp


class Unavailable(Exception):
    """The search server did not answer (the search is audited all the same)."""


def search_cases(*, actor, query_params, request=None) -> dict:
    """The page of hits, with the total and facets. Raises Refused for an
    invalid search, Unavailable when the search server is down."""
    with audit.act(user=actor, action="search.cases", object_type="search", request=request,
                   detail={"params": _as_given(query_params)}) as act:
        params = _params(query_params)
        try:
            query = parse(params.get("q", ""))
        except QuerySyntaxError as error:
            raise Refused.invalid("q", str(SYNTAX_MESSAGES[error.code]) % {"detail": error.detail}) from None
        filters = {k: params[k] for k in FILTERS if params.get(k)}
        size, page = params["page_size"], params["page"]
        act.detail["params"] = {"q": clean(params.get("q", ""), 500), "sort": params["sort"], "page": page,
                                "page_size": size,
                                **{k: sorted(v) if isinstance(v, (set, list)) else v for k, v in filters.items()}}
        agencies = sorted(access.agency_ids(actor))
        found = _run(actor, query, agencies, filters, params["sort"], page, size) if agencies else _NOTHING
        act.detail["count"] = found["total"] if found else None
        if found is None:
            act.detail["unavailable"] = True
    if found is None:
        raise Unavailable
    if not agencies:
        return {"count": 0, "results": [], "facets": {}, "page": 1, "page_size": size, "sanitised": query.sanitised}
    # Defence in depth: a share revoked without an event (never done) would still not show.
    visible = access.visible_case_ids(actor, [h["id"] for h in found["hits"]])
    hits = [{**h, "updated_at": _local(h["updated_at"])} for h in found["hits"] if h["id"] in visible]
    return {"count": found["total"], "page": page, "page_size": size, "results": hits,
            "facets": found["facets"], "sanitised": query.sanitised}


_NOTHING = {"total": 0, "hits": [], "facets": {}}


def _run(actor, query, agencies, filters, sort, page, size) -> dict | None:
    """The backend's answer; None when the search server is down."""
    # A case the index has not caught up with may still name an agency
    # that lost it (a participation ended a moment ago): those the user
    # may not see now are kept out of hits, totals and facets alike.
    backend = get_backend()
    lagging = set() if backend.live else lagging_cases()
    hidden = frozenset(lagging - access.visible_case_ids(actor, lagging)) if lagging else frozenset()
    try:
        return backend.search(query, agencies=agencies, filters=filters, sort=sort, offset=(page - 1) * size,
                              size=size, exclude=hidden)
    except (ApiError, TransportError):
        log.warning("search backend unavailable", exc_info=True)
        return None


def facet_names(facets: dict) -> dict[str, dict]:
    """Names for the facets whose keys are ids or codes (agencies, regions),
    for a page that shows them: one query each, only the keys present."""
    from agencies.models import Agency, Region

    agencies = [b["key"] for b in facets.get("agency", ())]
    regions = [b["key"] for b in facets.get("region", ())]
    return {
        "agency": dict(Agency.objects.filter(pk__in=agencies).values_list("pk", "name")) if agencies else {},
        "region": dict(Region.objects.filter(code__in=regions).values_list("code", "name")) if regions else {},
    }
