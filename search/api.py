from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .service import SearchParams, Unavailable, search_cases


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


class CaseSearchView(APIView):
    """Full-text search over the cases your agencies may see, in Chinese.

    `q` takes words (AND), "quoted phrases", OR, -word / NOT word and the
    prefixes number:, code:, party:, title:, facts:, file:. Filters narrow the
    hits; facets count them by status, IP type, kind, agency, region and year.
    """

    @extend_schema(responses={200: SearchResultSerializer, 503: SearchErrorSerializer},
                   parameters=[SearchParams])
    def get(self, request):
        try:
            return Response(search_cases(actor=request.user, query_params=request.query_params, request=request))
        except Unavailable:
            return Response({"detail": _("Search is unavailable right now; the case lists still work.")},
                            status=status.HTTP_503_SERVICE_UNAVAILABLE)
