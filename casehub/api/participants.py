from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from agencies.models import Agency

from .. import access
from ..models import CaseParticipant
from ..models.participant import ParticipantRole
from ..vocabulary import Campaign
from .case_serializers import AgencyRefSerializer


class ParticipantSerializer(serializers.ModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    agency_detail = AgencyRefSerializer(source="agency", read_only=True)
    role = serializers.ChoiceField(choices=ParticipantRole.choices)

    class Meta:
        model = CaseParticipant
        fields = ["id", "agency", "agency_detail", "role", "added_at"]
        read_only_fields = ["added_at"]


class CampaignSummarySerializer(serializers.Serializer):
    campaign = serializers.CharField()
    label = serializers.CharField()
    cases = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())


@extend_schema(responses=CampaignSummarySerializer(many=True))
@api_view(["GET"])
def campaigns(request):
    """Special campaigns (铁拳, 剑网, 龙腾, 蓝天, 昆仑): the cases your agencies
    may see in each, by status."""
    rows = (access.visible_cases(request.user).exclude(campaign="")
            .values("campaign", "status").annotate(n=Count("id")).order_by())
    summary = {value: {"campaign": value, "label": str(label), "cases": 0, "by_status": {}}
               for value, label in Campaign.choices}
    for row in rows:
        entry = summary[row["campaign"]]
        entry["cases"] += row["n"]
        entry["by_status"][row["status"]] = row["n"]
    return Response(list(summary.values()))
