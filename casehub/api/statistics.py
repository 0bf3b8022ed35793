"""/api/v1/statistics/: the tables behind the dashboard and the 统计报表
(casehub/statistics/), each for a year and a region, counting what the
caller's scope counts. Refusals come from the service through the one
exception handler: bad year or region 400 with field errors, a table
unknown (or a caller without a statistics role) 404."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from ..services import statistics as service


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["code", "label", "count", "amount", "rate", "days", "text"],
                                   help_text="code: the row's key; label: its name; the rest are figures.")


class ChartSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["bar", "line", "pie"])
    x = serializers.CharField(help_text="The column on the x axis.")
    series = serializers.ListField(child=serializers.CharField(), help_text="The columns drawn.")


class FiltersSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    region = serializers.CharField(allow_null=True)


class TableSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()),
                                 help_text="One list per row, in the columns' order; a figure is null when "
                                           "nothing was counted (a rate of nothing).")
    chart = ChartSerializer(allow_null=True)
    note = serializers.CharField(allow_blank=True)
    filters = FiltersSerializer()


class TableRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()


class IndexSerializer(serializers.Serializer):
    tables = TableRefSerializer(many=True)


FILTERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="The year counted (default: this year)."),
    OpenApiParameter("region", OpenApiTypes.STR,
                     description="A region code (GB/T 2260 or internal); its subregions count too. Default: all."),
]


@extend_schema(responses=IndexSerializer, operation_id="statistics_index")
@api_view(["GET"])
def index(request):
    """The statistics tables you may read (none without a statistics role:
    heads, reviewers, auditors, supervisors, platform administrators)."""
    tables = [{"name": d.name, "title": str(d.title),
               "url": request.build_absolute_uri(reverse("v1:statistics-table", args=[d.name]))}
              for d in service.list_tables(actor=request.user)]
    return Response({"tables": tables})


@extend_schema(responses=TableSerializer, parameters=FILTERS, operation_id="statistics_table")
@api_view(["GET"])
def table(request, name: str):
    """One statistics table for a year and a region: what your agency and its
    subordinate agencies count (the platform: everything; a procuratorate:
    the transfers it supervises and their cases). Each read is audited."""
    found, filters = service.read_table(actor=request.user, name=name, params=request.query_params,
                                        request=request)
    return Response(found.as_dict(filters))
