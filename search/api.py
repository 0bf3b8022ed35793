from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .service import MANY, SearchParams, Unavailable, search_cases


class FacetBucketSerializer(serializers.Serializer):
    key = serializers.CharField()
    count = serializers.IntegerField()


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
    facets = serializers.DictField(child=FacetBucketSerializer(many=True))
    sanitised = serializers.BooleanField(help_text="The query was repaired (quotes closed, control characters dropped).")


class CaseSearchView(APIView):
    """Full-text search over the cases your agencies may see, in Chinese.

    `q` takes words (AND), "quoted phrases", OR, -word / NOT word and the
    prefixes number:, code:, party:, title:, facts:, file:. Filters narrow the
    hits; facets count them by status, IP type, kind, agency, region and year.
    """

    @extend_schema(responses=SearchResultSerializer,
                   parameters=[OpenApiParameter(name, str, many=name in MANY) for name in SearchParams().fields])
    def get(self, request):
        try:
            return Response(search_cases(actor=request.user, query_params=request.query_params, request=request))
        except Unavailable:
            return Response({"detail": _("Search is unavailable right now; the case lists still work.")},
                            status=status.HTTP_503_SERVICE_UNAVAILABLE)
