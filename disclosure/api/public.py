"""The public, read-only disclosure API: no login, rate limited per client.
Only what rules/redaction.py lets out leaves here."""

from __future__ import annotations

import csv
from datetime import date

from django.db.models import Max
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from casehub.rules.spreadsheet import csv_text
from casehub.rules.workflow import PenaltyType
from casehub.vocabulary import IpType, PartyKind

from .. import portal, services
from ..models import DisclosureChange
from ..throttling import PublicThrottle

MAX_PAGE, MAX_CHANGES = 100, 1000


# --- what the public receives (services.snapshot; the schema describes it) -------
def _money(help_text: str):
    return serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, help_text=help_text)


class PublicRecordSerializer(serializers.Serializer):
    """One penalty decision as the public sees it: exactly the keys of
    services.snapshot()."""

    id = serializers.IntegerField()
    decision_number = serializers.CharField(help_text="The decision document number.")
    party_kind = serializers.ChoiceField(choices=PartyKind.choices)
    party_name = serializers.CharField(help_text="An enterprise's name; an individual's masked name (张**).")
    credit_code = serializers.CharField(allow_blank=True,
                                        help_text="An enterprise's unified social credit code; empty for individuals.")
    violation_type = serializers.CharField()
    legal_basis = serializers.CharField(allow_blank=True)
    penalties = serializers.ListField(child=serializers.ChoiceField(choices=PenaltyType.choices))
    fine_amount = _money("The fine in yuan, if any.")
    confiscated_amount = _money("The value confiscated in yuan, if any.")
    ip_type = serializers.ChoiceField(choices=IpType.choices)
    agency = serializers.CharField(help_text="The deciding agency's name.")
    agency_code = serializers.CharField(help_text="The deciding agency's code.")
    decision_date = serializers.DateField()
    published_on = serializers.DateField()
    publicity_ends_on = serializers.DateField(help_text="The last day the record is public.")
    revision = serializers.IntegerField(help_text="1, then one more with each correction.")
    correction_note = serializers.CharField(allow_blank=True, help_text="What the last correction changed.")


class PublicRecordPageSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    has_more = serializers.BooleanField(help_text="Whether the next page has records.")
    results = PublicRecordSerializer(many=True)


class PublicChangeSerializer(serializers.Serializer):
    cursor = serializers.IntegerField(help_text="This change's position in the feed.")
    kind = serializers.ChoiceField(choices=DisclosureChange.Kind.choices)
    record = serializers.IntegerField(help_text="The record's id.")
    at = serializers.DateTimeField()
    record_data = PublicRecordSerializer(
        allow_null=True, help_text="The record as it now is (published, corrected); null when it left the public "
                                   "set (withdrawn, expired).")


class PublicChangePageSerializer(serializers.Serializer):
    changes = PublicChangeSerializer(many=True)
    next = serializers.IntegerField(help_text="The `since` of the next request.")
    has_more = serializers.BooleanField(help_text="Whether more changes follow `next` now.")


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

    def validate(self, data):
        after, before = data.get("decided_after"), data.get("decided_before")
        if after and before and after > before:
            raise ValidationError({"decided_before": [_("The end of the range is before its start.")]})
        return data


class ListParams(RecordFilters):
    page = serializers.IntegerField(min_value=1, max_value=10_000, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, default=20)


def _filtered(params, params_class=RecordFilters) -> tuple:
    # The QueryDict itself, so that an empty parameter (`?q=`) means "not given".
    filters = params_class(data=params)
    filters.is_valid(raise_exception=True)
    data = filters.validated_data
    # The portal's search (disclosure/portal.py): one rule for the page and the API.
    return portal.search(services.public_records().select_related("agency"), data), data


class PublicRecordList(PublicView):
    """Penalty decisions now public: search by enterprise name or credit
    code; filter by deciding agency, IP type, decision dates."""

    @extend_schema(operation_id="public_disclosures_list", parameters=[ListParams],
                   responses=PublicRecordPageSerializer)
    def get(self, request):
        records, data = _filtered(request.query_params, ListParams)
        size, page = data["page_size"], data["page"]
        chunk = list(records[(page - 1) * size: page * size + 1])
        return Response({"page": page, "page_size": size, "has_more": len(chunk) > size,
                         "results": [services.snapshot(r) for r in chunk[:size]]})


class PublicRecordDetail(PublicView):
    """One penalty decision now public; 404 once it is not."""

    @extend_schema(operation_id="public_disclosures_retrieve", responses=PublicRecordSerializer)
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

    @extend_schema(operation_id="public_disclosures_changes", parameters=[ChangeParams],
                   responses=PublicChangePageSerializer)
    def get(self, request):
        params = ChangeParams(data=request.query_params)
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

    @extend_schema(operation_id="public_disclosures_export_csv",
                   parameters=[RecordFilters], responses={(200, "text/csv"): str})
    def get(self, request):
        records, _data = _filtered(request.query_params)
        writer = csv.writer(_Echo())

        def rows():
            yield "\ufeff"  # so that Excel reads UTF-8
            yield writer.writerow(CSV_COLUMNS)
            for record in records.iterator(chunk_size=1000):
                snap = services.snapshot(record)
                snap["penalties"] = " ".join(snap["penalties"])
                yield writer.writerow([csv_text(snap[c]) for c in CSV_COLUMNS])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="casehub-disclosures-{date.today():%Y%m%d}.csv"'
        return response
