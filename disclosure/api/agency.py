"""The agencies' side: their records (publish, correct, repair), and the
credit views every agency may consult."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from casehub import access
from casehub.rules.workflow import PenaltyType
from casehub.vocabulary import IpType, PartyKind

from .. import services
from ..models import CreditRepair, DisclosureRecord, Field, RecordStatus, WithdrawnReason
from .public import PublicRecordSerializer


class RecordSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    party_kind = serializers.ChoiceField(choices=PartyKind.choices, read_only=True)
    ip_type = serializers.ChoiceField(choices=IpType.choices, read_only=True)
    penalties = serializers.ListField(child=serializers.ChoiceField(choices=PenaltyType.choices), read_only=True)
    field = serializers.ChoiceField(choices=Field.choices, allow_blank=True, read_only=True)
    withdrawn_reason = serializers.ChoiceField(choices=WithdrawnReason.choices, allow_blank=True, read_only=True)
    overdue = serializers.SerializerMethodField()
    public = serializers.SerializerMethodField(help_text="What the public sees of it now; null when not public.")

    class Meta:
        model = DisclosureRecord
        fields = ["id", "case", "agency", "party_kind", "party_name", "credit_code", "decision_number",
                  "decision_date", "ip_type", "violation_type", "legal_basis", "penalties", "field", "fine_amount",
                  "confiscated_amount", "status", "due_on", "late", "overdue", "published_on", "publicity_ends_on",
                  "repair_possible_from", "withdrawn_reason", "revision", "correction_note", "public"]
        read_only_fields = fields

    def get_overdue(self, record) -> bool:
        return record.status == "pending" and record.due_on < timezone.localdate()

    @extend_schema_field(PublicRecordSerializer(allow_null=True))
    def get_public(self, record) -> dict | None:
        return services.snapshot(record) if services.is_public(record) else None


class ApprovalSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=Field.choices, allow_blank=True, required=False,
                                    help_text="The regulated field, if any: its periods are longer.")


class CorrectionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500)
    revoked = serializers.BooleanField(default=False)
    field = serializers.ChoiceField(choices=Field.choices, allow_blank=True, required=False)
    decision_number = serializers.CharField(max_length=64, required=False)
    legal_basis = serializers.CharField(required=False)
    penalties = serializers.ListField(child=serializers.ChoiceField(choices=PenaltyType.choices), required=False,
                                      allow_empty=False)
    fine_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"),
                                           required=False, allow_null=True)
    confiscated_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"),
                                                  required=False, allow_null=True)


class RepairSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditRepair
        fields = ["id", "record", "applicant", "reason", "applied_on", "status", "decided_at", "decision_reason"]
        read_only_fields = ["record", "status", "decided_at", "decision_reason"]


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RecordFilter(django_filters.FilterSet):
    # Only "true" or "false": anything else is a 400, not an unfiltered list.
    late = django_filters.TypedChoiceFilter(choices=[("true", "true"), ("false", "false")],
                                            coerce=lambda value: value == "true")
    ip_type = django_filters.ChoiceFilter(choices=IpType.choices)

    class Meta:
        model = DisclosureRecord
        fields = ["status", "late", "ip_type"]


class DisclosureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """My agencies' disclosure records: pending review (with the 20-working-
    day limit and an overdue flag), public, withdrawn, expired.
    `?status=`, `?late=true`."""

    serializer_class = RecordSerializer
    queryset = DisclosureRecord.objects.none()
    filterset_class = RecordFilter
    ordering_fields = []
    lookup_value_regex = r"[0-9]+"  # anything else is a 404, never a 500

    def get_queryset(self):
        return (DisclosureRecord.objects.filter(agency_id__in=access.agency_ids(self.request.user))
                .select_related("agency").order_by("-id"))

    @extend_schema(request=ApprovalSerializer, responses=RecordSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve for publication (the deciding agency's reviewer or head)."""
        record = services.approve(actor=request.user, record_id=pk, form=ApprovalSerializer(data=request.data),
                                  request=request)
        return Response(RecordSerializer(record).data)

    @extend_schema(request=CorrectionSerializer, responses=RecordSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """The decision was changed (give the new values) or revoked."""
        record = services.correct(actor=request.user, record_id=pk, form=CorrectionSerializer(data=request.data),
                                  request=request)
        return Response(RecordSerializer(record).data)

    @extend_schema(request=RepairSerializer, responses={201: RepairSerializer})
    @action(detail=True, methods=["post"])
    def repairs(self, request, pk=None):
        """Record a party's application for credit repair."""
        repair = services.apply_repair(actor=request.user, record_id=pk, form=RepairSerializer(data=request.data),
                                       request=request)
        return Response(RepairSerializer(repair).data, status=201)


class RepairViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Credit repair applications to my agencies; approve or refuse (with
    reasons)."""

    serializer_class = RepairSerializer
    queryset = CreditRepair.objects.none()
    filterset_fields = ["status"]
    ordering_fields = []
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return CreditRepair.objects.filter(record__agency_id__in=access.agency_ids(self.request.user)).order_by("-id")

    def _decide(self, pk, approve_it):
        repair = services.decide_repair(actor=self.request.user, repair_id=pk, approve_it=approve_it,
                                        form=DecisionSerializer(data=self.request.data), request=self.request)
        return Response(RepairSerializer(repair).data)

    @extend_schema(request=DecisionSerializer, responses=RepairSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(pk, True)

    @extend_schema(request=DecisionSerializer, responses=RepairSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._decide(pk, False)


def _money(**kwargs):
    return serializers.DecimalField(max_digits=20, decimal_places=2, **kwargs)


@extend_schema_field({"type": "string", "enum": RecordStatus.values})
class PublicationStatusField(serializers.CharField):
    """A record's status. Described by its values alone, so that the schema
    does not give the records' status enum a second name."""


class CreditRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    decision_number = serializers.CharField()
    decision_date = serializers.DateField()
    agency = serializers.CharField(help_text="The deciding agency's name.")
    agency_code = serializers.CharField()
    ip_type = serializers.ChoiceField(choices=IpType.choices)
    violation_type = serializers.CharField()
    penalties = serializers.ListField(child=serializers.ChoiceField(choices=PenaltyType.choices))
    fine_amount = _money(allow_null=True)
    confiscated_amount = _money(allow_null=True)
    status = PublicationStatusField(help_text="Where its publication stands.")
    repaired = serializers.BooleanField(help_text="Withdrawn from the public by an approved credit repair.")


class EnterpriseCreditSerializer(serializers.Serializer):
    credit_code = serializers.CharField()
    name = serializers.CharField(allow_null=True, help_text="The name in its latest decision; null without one.")
    years = serializers.IntegerField(help_text="How many years back the rule looks.")
    since = serializers.DateField(help_text="Decisions from this date on count.")
    penalties = serializers.IntegerField(help_text="Penalty decisions in force over the period, in all agencies.")
    total_fine = _money()
    repeat_infringements = serializers.DictField(
        child=serializers.IntegerField(), help_text="Penalties by kind of right, where there was more than one.")
    grade = serializers.CharField(help_text="A (best) to D, by the configured rule (CREDIT_GRADING).")
    seriously_dishonest = serializers.BooleanField(help_text="On the list for joint punishment (失信联合惩戒).")
    records = CreditRecordSerializer(many=True)


class DishonestEntrySerializer(serializers.Serializer):
    credit_code = serializers.CharField()
    name = serializers.CharField(allow_null=True)
    penalties = serializers.IntegerField()
    total_fine = _money()


class DishonestListSerializer(serializers.Serializer):
    years = serializers.IntegerField()
    since = serializers.DateField()
    results = DishonestEntrySerializer(many=True)


class EnterpriseCreditView(APIView):
    """An enterprise's penalties across all agencies over the last N years
    (the rule's `years`), repeat infringements, and its grade (A–D). Any
    agency's members; never the public. Another agency's decision counts
    once published; one's own agency's from the decision on."""

    @extend_schema(operation_id="credit_enterprise_retrieve", responses=EnterpriseCreditSerializer)
    def get(self, request, credit_code: str):
        report = services.credit_report(actor=request.user, credit_code=credit_code, request=request)
        return Response(EnterpriseCreditSerializer(report).data)


class DishonestListView(APIView):
    """The seriously dishonest entities for joint punishment (失信联合惩戒),
    by the same rule as the enterprise view: published decisions, and the
    viewer's own agency's pending ones; never the public."""

    @extend_schema(operation_id="credit_dishonest_list", responses=DishonestListSerializer)
    def get(self, request):
        return Response(DishonestListSerializer(services.dishonest_list(actor=request.user, request=request)).data)
