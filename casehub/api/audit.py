import django_filters
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination

from ..models import AuditEntry
from ..services import audit_log


class AuditEntrySerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner_agency = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = AuditEntry
        fields = ["seq", "at", "user", "agency", "owner_agency", "ip_address", "action", "object_type", "object_id", "result",
                  "detail", "hash"]


class AuditFilter(django_filters.FilterSet):
    user = django_filters.CharFilter(field_name="user__username")
    at_after = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    at_before = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lte")

    class Meta:
        model = AuditEntry
        fields = ["action", "result", "object_type", "object_id", "user"]


class AuditPagination(CursorPagination):
    ordering = "-seq"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class AuditEntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The audit log of the agencies you audit: who read or changed what,
    when, from where, and whether it was allowed — their own acts and every
    attempt on what they own. Auditors and heads only (403 for others);
    every read of it is audited too."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditFilter
    pagination_class = AuditPagination
    ordering_fields = []
    queryset = AuditEntry.objects.none()

    def list(self, request, *args, **kwargs):
        filters = AuditFilter(request.query_params, queryset=AuditEntry.objects.none(), request=request)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        used = {k: v for k, v in filters.form.cleaned_data.items() if v not in (None, "")}
        entries = audit_log.read_log(actor=request.user, filters=used, request=request)
        entries = filters.filter_queryset(entries.select_related("user", "agency", "owner_agency"))
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
