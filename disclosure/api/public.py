"""The public, read-only disclosure API: no login, rate limited per client.
Only what rules/redaction.py lets out leaves here."""

from __future__ import annotations

import csv
from datetime import date

from django.db.models import Max, Q
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from casehub.vocabulary import IpType

from .. import services
from ..models import DisclosureChange
from ..throttling import PublicThrottle

MAX_PAGE, MAX_CHANGES = 100, 1000


class PublicView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [PublicThrottle]


class RecordFilters(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=100, help_text="Enterprise name (part) or credit code.")
    agency = serializers.CharField(required=False, max_length=32, help_text="Deciding agency's code.")
    ip_type = serializers.ChoiceField(choices=IpType.choices, required=False)
    decided_after = serializers.DateField(required=False)
    decided_before = serializers.DateField(required=False)
    page = serializers.IntegerField(min_value=1, max_value=10_000, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, default=20)

    def validate(self, data):
        after, before = data.get("decided_after"), data.get("decided_before")
        if after and before and after > before:
            raise ValidationError({"decided_before": [_("The end of the range is before its start.")]})
        return data


def _filtered(params) -> tuple:
    filters = RecordFilters(data=params.dict() if hasattr(params, "dict") else params)
    filters.is_valid(raise_exception=True)
    data = filters.validated_data
    records = services.public_records().select_related("agency")
    if data.get("q"):
        text = data["q"].strip()
        # Enterprises only: an individual is never found by name.
        records = records.filter(Q(party_kind="enterprise") & (Q(party_name__icontains=text)
                                                                | Q(credit_code=text.upper())))
    if data.get("agency"):
        records = records.filter(agency__code=data["agency"])
    if data.get("ip_type"):
        records = records.filter(ip_type=data["ip_type"])
    if data.get("decided_after"):
        records = records.filter(decision_date__gte=data["decided_after"])
    if data.get("decided_before"):
        records = records.filter(decision_date__lte=data["decided_before"])
    return records.order_by("-published_on", "-id"), data


class PublicRecordList(PublicView):
    """Penalty decisions now public: search by enterprise name or credit
    code; filter by deciding agency, IP type, decision dates."""

    @extend_schema(parameters=[RecordFilters])
    def get(self, request):
        records, data = _filtered(request.query_params)
        size, page = data["page_size"], data["page"]
        chunk = list(records[(page - 1) * size: page * size + 1])
        return Response({"page": page, "page_size": size, "has_more": len(chunk) > size,
                         "results": [services.snapshot(r) for r in chunk[:size]]})


class PublicRecordDetail(PublicView):
    def get(self, request, pk: int):
        record = services.public_records().select_related("agency").filter(pk=pk).first()
        if record is None:
            raise NotFound()
        return Response(services.snapshot(record))


class ChangeParams(serializers.Serializer):
    since = serializers.IntegerField(min_value=0, default=0, help_text="The `next` of your last page; 0 at first.")
    limit = serializers.IntegerField(min_value=1, max_value=MAX_CHANGES, default=500)


class PublicChanges(PublicView):
    """The incremental feed for credit platforms: every change to the public
    set after `since`, in order: published, corrected (the record as it is
    now), withdrawn and expired (remove it). Follow `next` until
    `has_more` is false; apply each change, and you hold exactly the public
    set."""

    @extend_schema(parameters=[ChangeParams])
    def get(self, request):
        params = ChangeParams(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        since, limit = params.validated_data["since"], params.validated_data["limit"]
        # Expiry is applied before serving, so the feed never lags the list.
        if services.expire_due_exists():
            services.expire()
        latest = DisclosureChange.objects.aggregate(n=Max("id"))["n"] or 0
        if since > latest:
            raise ValidationError({"since": [_("This cursor is beyond the end of the feed (%(n)d).") % {"n": latest}]})
        rows = list(DisclosureChange.objects.filter(id__gt=since).order_by("id")
                    .values("id", "kind", "record_id", "at", "snapshot")[: limit + 1])
        page = rows[:limit]
        return Response({
            "changes": [{"cursor": r["id"], "kind": r["kind"], "record": r["record_id"], "at": r["at"],
                         "record_data": r["snapshot"] or None} for r in page],
            "next": page[-1]["id"] if page else since, "has_more": len(rows) > limit,
        })


CSV_COLUMNS = ["id", "decision_number", "party_name", "credit_code", "violation_type", "legal_basis", "penalties",
               "fine_amount", "confiscated_amount", "agency", "decision_date", "published_on", "publicity_ends_on"]


class _Echo:
    def write(self, value):
        return value


class PublicExport(PublicView):
    """The public set (with the list's filters) as CSV, streamed."""

    @extend_schema(parameters=[RecordFilters], responses={(200, "text/csv"): str})
    def get(self, request):
        records, _data = _filtered({k: v for k, v in request.query_params.items() if k not in ("page", "page_size")})
        writer = csv.writer(_Echo())

        def rows():
            yield "\ufeff"  # so that Excel reads UTF-8
            yield writer.writerow(CSV_COLUMNS)
            for record in records.iterator(chunk_size=1000):
                snap = services.snapshot(record)
                snap["penalties"] = " ".join(snap["penalties"])
                yield writer.writerow([snap[c] if snap[c] is not None else "" for c in CSV_COLUMNS])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="casehub-disclosures-{date.today():%Y%m%d}.csv"'
        return response
