"""The agencies' side: their records (publish, correct, repair), and the
credit views every agency may consult."""

from __future__ import annotations

from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Sum
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from casehub import access
from casehub.api.refusals import refusal_response
from casehub.rules.identifiers import is_valid_credit_code
from casehub.rules.workflow import PenaltyType
from casehub.services.errors import Refused

from .. import services
from ..models import CreditRepair, DisclosureRecord
from ..rules import grading


class RecordSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    overdue = serializers.SerializerMethodField()
    public = serializers.SerializerMethodField()

    class Meta:
        model = DisclosureRecord
        fields = ["id", "case", "agency", "party_kind", "party_name", "credit_code", "decision_number",
                  "decision_date", "ip_type", "violation_type", "legal_basis", "penalties", "fine_amount",
                  "confiscated_amount", "status", "due_on", "late", "overdue", "published_on", "publicity_ends_on",
                  "repair_possible_from", "withdrawn_reason", "revision", "correction_note", "public"]

    def get_overdue(self, record) -> bool:
        return record.status == "pending" and record.due_on < timezone.localdate()

    def get_public(self, record) -> dict | None:
        return services.snapshot(record) if record.status == "published" else None


class CorrectionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500)
    revoked = serializers.BooleanField(default=False)
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


class DisclosureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """My agencies' disclosure records: pending review (with the 20-working-
    day limit and an overdue flag), public, withdrawn, expired.
    `?status=`, `?late=true`."""

    serializer_class = RecordSerializer
    queryset = DisclosureRecord.objects.none()
    filterset_fields = ["status", "late", "ip_type"]
    ordering_fields = []

    def get_queryset(self):
        return (DisclosureRecord.objects.filter(agency_id__in=access.agency_ids(self.request.user))
                .select_related("agency").order_by("-id"))

    def _act(self, fn, **kwargs):
        try:
            return fn(actor=self.request.user, **kwargs)
        except (DisclosureRecord.DoesNotExist, CreditRepair.DoesNotExist):
            raise Http404 from None
        except Refused as refused:
            return refusal_response(refused)

    @extend_schema(request=None, responses=RecordSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve for publication (the deciding agency's reviewer or head)."""
        done = self._act(services.approve, record_id=int(pk))
        return done if isinstance(done, Response) else Response(RecordSerializer(done).data)

    @extend_schema(request=CorrectionSerializer, responses=RecordSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """The decision was changed (give the new values) or revoked."""
        data = CorrectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        note, revoked = values.pop("note"), values.pop("revoked")
        done = self._act(services.correct, record_id=int(pk), changes=values, note=note, revoked=revoked)
        return done if isinstance(done, Response) else Response(RecordSerializer(done).data)

    @extend_schema(request=RepairSerializer, responses=RepairSerializer)
    @action(detail=True, methods=["post"])
    def repairs(self, request, pk=None):
        """Record a party's application for credit repair."""
        data = RepairSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = self._act(services.apply_repair, record_id=int(pk), **data.validated_data)
        return done if isinstance(done, Response) else Response(RepairSerializer(done).data, status=201)


class RepairViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Credit repair applications to my agencies; approve or refuse (with
    reasons)."""

    serializer_class = RepairSerializer
    queryset = CreditRepair.objects.none()
    filterset_fields = ["status"]
    ordering_fields = []

    def get_queryset(self):
        return CreditRepair.objects.filter(record__agency_id__in=access.agency_ids(self.request.user)).order_by("-id")

    def _decide(self, pk, approve_it):
        data = DecisionSerializer(data=self.request.data)
        data.is_valid(raise_exception=True)
        try:
            repair = services.decide_repair(actor=self.request.user, repair_id=int(pk), approve_it=approve_it,
                                            reason=data.validated_data["reason"])
        except (DisclosureRecord.DoesNotExist, CreditRepair.DoesNotExist):
            raise Http404 from None
        except Refused as refused:
            return refusal_response(refused)
        return Response(RepairSerializer(repair).data)

    @extend_schema(request=DecisionSerializer, responses=RepairSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(pk, True)

    @extend_schema(request=DecisionSerializer, responses=RepairSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._decide(pk, False)


def _rule() -> dict:
    return getattr(settings, "CREDIT_GRADING", None) or grading.DEFAULT_RULE


def _agency_member(request) -> None:
    if not access.agency_ids(request.user):
        raise PermissionDenied()


def _decided_since(years: int):
    since = timezone.localdate() - relativedelta(years=years)
    # Every penalty decided, public or not: this is the agencies' view.
    return DisclosureRecord.objects.filter(decision_date__gte=since, party_kind="enterprise")


class EnterpriseCreditView(APIView):
    """An enterprise's penalties across all agencies over the last N years
    (the rule's `years`), repeat infringements, and its grade (A–D)."""

    def get(self, request, credit_code: str):
        _agency_member(request)
        code = credit_code.upper()
        if not is_valid_credit_code(code):
            raise serializers.ValidationError({"credit_code": ["not a valid unified social credit code"]})
        rule = _rule()
        records = list(_decided_since(rule["years"]).filter(credit_code=code).select_related("agency")
                       .order_by("-decision_date"))
        total = sum((r.fine_amount or Decimal(0) for r in records), Decimal(0))
        by_right: dict[str, int] = {}
        for r in records:
            by_right[r.ip_type] = by_right.get(r.ip_type, 0) + 1
        return Response({
            "credit_code": code, "name": records[0].party_name if records else None, "years": rule["years"],
            "penalties": len(records), "total_fine": str(total),
            "repeat_infringements": {k: v for k, v in by_right.items() if v > 1},
            "grade": grading.grade(len(records), total, rule),
            "seriously_dishonest": grading.is_seriously_dishonest(len(records), total, rule),
            "records": [{"id": r.pk, "decision_number": r.decision_number, "decision_date": r.decision_date,
                         "agency": r.agency.name, "ip_type": r.ip_type, "penalties": r.penalties,
                         "fine_amount": r.fine_amount, "status": r.status} for r in records],
        })


class DishonestListView(APIView):
    """The seriously dishonest entities for joint punishment (失信联合惩戒):
    every agency sees the same list."""

    def get(self, request):
        _agency_member(request)
        rule = _rule()
        rows = (_decided_since(rule["years"]).exclude(credit_code="").values("credit_code")
                .annotate(penalties=Count("id"), total_fine=Sum("fine_amount")).order_by("-penalties", "credit_code"))
        names = {}
        listed = [r for r in rows if grading.is_seriously_dishonest(r["penalties"], r["total_fine"] or Decimal(0), rule)]
        for code, name in DisclosureRecord.objects.filter(credit_code__in=[r["credit_code"] for r in listed]) \
                .order_by("decision_date").values_list("credit_code", "party_name"):
            names[code] = name
        return Response({"years": rule["years"], "results": [
            {"credit_code": r["credit_code"], "name": names.get(r["credit_code"]), "penalties": r["penalties"],
             "total_fine": str(r["total_fine"] or 0)} for r in listed]})


