import django_filters
from django.db.models import Q
from rest_framework import mixins, serializers, viewsets
from rest_framework.pagination import CursorPagination

from .. import access
from ..models import AuditEntry


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
    when, from where, and whether it was allowed. Auditors and heads only."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditFilter
    pagination_class = AuditPagination
    ordering_fields = []
    queryset = AuditEntry.objects.none()

    def get_queryset(self):
        agencies = access.audit_agency_ids(self.request.user)
        # The agency's own acts, and every attempt on what it owns (an
        # officer of another agency probing its case shows here too).
        mine = Q(agency_id__in=agencies) | Q(owner_agency_id__in=agencies)
        return AuditEntry.objects.filter(mine).select_related("user", "agency", "owner_agency")
