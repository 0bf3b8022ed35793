import logging

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from elasticsearch import ApiError, TransportError
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from casehub import access
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


class FacetBucketSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="A status, IP type, kind or region code.")
    count = serializers.IntegerField()


class NumericFacetBucketSerializer(serializers.Serializer):
    key = serializers.IntegerField(help_text="An agency id or a year.")
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer):
    """Counts of the hits by each facet; absent when nothing can match."""

    status = FacetBucketSerializer(many=True, required=False)
    ip_type = FacetBucketSerializer(many=True, required=False)
    kind = FacetBucketSerializer(many=True, required=False)
    region = FacetBucketSerializer(many=True, required=False)
    agency = NumericFacetBucketSerializer(many=True, required=False)
    year = NumericFacetBucketSerializer(many=True, required=False)


class SearchErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class HitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    ip_type = serializers.CharField()
    kind = serializers.CharField()
    agency = serializers.IntegerField()
    agency_name = serializers.CharField()
    region = serializers.CharField()
    lead_received_on = serializers.DateField()
    updated_at = serializers.DateTimeField()
    campaign = serializers.CharField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    highlights = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class SearchResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    results = HitSerializer(many=True)
    facets = FacetsSerializer()
    sanitised = serializers.BooleanField(help_text="The query was repaired (quotes closed).")


SYNTAX_MESSAGES = {
    "unknown_field": gettext_lazy("Unknown field prefix “%(detail)s:”. Use number:, code:, party:, title:, facts: or file:."),
    "too_long": gettext_lazy("The query is longer than %(detail)s characters."),
    "too_many_terms": gettext_lazy("The query has more than %(detail)s terms."),
}


MANY = frozenset({"status", "ip_type", "kind", "campaign", "agency", "year"})  # may repeat: ?status=a&status=b


def _params(request) -> dict:
    """The query string, validated."""
    given, data = request.query_params, {}
    for name in given:
        data[name] = given.getlist(name) if name in MANY else given.get(name)
    # Control characters never arrive: a query string with one is a 400
    # naming the parameter before any view (casehub/request_limits.py).
    serializer = SearchParams(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _local(stamp: str) -> str:
    """An index's UTC timestamp in the current time zone, as the rest of the
    API shows times."""
    parsed = parse_datetime(stamp) if stamp else None
    return timezone.localtime(parsed).isoformat() if parsed and timezone.is_aware(parsed) else stamp


class CaseSearchView(APIView):
    """Full-text search over the cases your agencies may see, in Chinese.

    `q` takes words (AND), "quoted phrases", OR, -word / NOT word and the
    prefixes number:, code:, party:, title:, facts:, file:. Filters narrow the
    hits; facets count them by status, IP type, kind, agency, region and year.
    """

    @extend_schema(responses={200: SearchResultSerializer, 503: SearchErrorSerializer},
                   parameters=[SearchParams])
    def get(self, request):
        params = _params(request)
        try:
            query = parse(params.get("q", ""))
        except QuerySyntaxError as error:
            raise ValidationError({"q": [str(SYNTAX_MESSAGES[error.code]) % {"detail": error.detail}]})
        agencies = sorted(access.agency_ids(request.user))
        if not agencies:
            return Response({"count": 0, "results": [], "facets": {}, "page": 1, "page_size": params["page_size"],
                             "sanitised": query.sanitised})
        filters = {k: params[k] for k in ("status", "ip_type", "kind", "campaign", "agency", "region", "year")
                   if params.get(k)}
        size, page = params["page_size"], params["page"]
        # A case the index has not caught up with may still name an agency
        # that lost it (a participation ended a moment ago): those the user
        # may not see now are kept out of hits, totals and facets alike.
        backend = get_backend()
        lagging = set() if backend.live else lagging_cases()
        hidden = frozenset(lagging - access.visible_case_ids(request.user, lagging)) if lagging else frozenset()
        try:
            found = backend.search(query, agencies=agencies, filters=filters, sort=params["sort"],
                                         offset=(page - 1) * size, size=size, exclude=hidden)
        except (ApiError, TransportError):
            log.warning("search backend unavailable", exc_info=True)
            return Response({"detail": _("Search is unavailable right now; the case lists still work.")},
                            status=status.HTTP_503_SERVICE_UNAVAILABLE)
        # Defence in depth: a share revoked without an event (never done) would still not show.
        visible = access.visible_case_ids(request.user, [h["id"] for h in found["hits"]])
        hits = [{**h, "updated_at": _local(h["updated_at"])} for h in found["hits"] if h["id"] in visible]
        return Response({"count": found["total"], "page": page, "page_size": size, "results": hits,
                         "facets": found["facets"], "sanitised": query.sanitised})
