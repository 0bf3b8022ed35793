import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from agencies.models import Agency

from .. import access
from ..models import AssistanceRequest, AssistanceStatus
from ..services import assistance as service
from .case_serializers import AgencyRefSerializer
from .input import refused_input, validated
from .parsers import StrictMultiPartParser


class AssistanceSerializer(serializers.ModelSerializer):
    from_agency = AgencyRefSerializer(read_only=True)
    to_agency = AgencyRefSerializer(read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    overdue = serializers.SerializerMethodField()
    files = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = AssistanceRequest
        fields = ["id", "case", "case_number", "from_agency", "to_agency", "subject", "details", "due_on", "status",
                  "requested_at", "answer", "answered_at", "answered_late", "overdue", "files"]

    def get_overdue(self, item) -> bool:
        return item.status == AssistanceStatus.OPEN and item.due_on < timezone.localdate()


class AskSerializer(serializers.Serializer):
    to_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    subject = serializers.CharField(max_length=200)
    details = serializers.CharField(max_length=20000)
    due_on = serializers.DateField()


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=20000)
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class AssistanceFilter(django_filters.FilterSet):
    box = django_filters.ChoiceFilter(choices=[("incoming", "incoming"), ("outgoing", "outgoing")],
                                      method="filter_box")
    status = django_filters.MultipleChoiceFilter(choices=AssistanceStatus.choices, distinct=False)
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = AssistanceRequest
        fields = ["box", "status", "case"]

    def filter_box(self, queryset, name, value):
        field = "to_agency_id__in" if value == "incoming" else "from_agency_id__in"
        return queryset.filter(**{field: access.agency_ids(self.request.user)})

    def filter_overdue(self, queryset, name, value):
        late = Q(status=AssistanceStatus.OPEN, due_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class AssistancePagination(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class AssistanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assistance requests (协查) my agencies sent or must answer, with due
    dates; `?box=incoming&status=open` is the inbox, `overdue=true` the late ones."""

    serializer_class = AssistanceSerializer
    filterset_class = AssistanceFilter
    pagination_class = AssistancePagination
    ordering_fields = []
    queryset = AssistanceRequest.objects.none()

    def get_queryset(self):
        qs = AssistanceRequest.objects.select_related("case", "from_agency", "to_agency").prefetch_related("files")
        return access.visible_assistance(self.request.user, qs)

    def get_object(self):
        # The service answers whether the caller may see it (404 otherwise, audited).
        return service.find_request(actor=self.request.user, item_id=self.kwargs.get("pk", ""), action=self.action,
                                    request=self.request, queryset=self.get_queryset())

    def _fresh(self, item):
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(request={"multipart/form-data": AnswerSerializer}, responses=AssistanceSerializer)
    @action(detail=True, methods=["post"], parser_classes=[StrictMultiPartParser])
    def answer(self, request, pk=None):
        with refused_input(request, "assistance", pk, "assistance.answer"):
            if getattr(request.FILES, "suspicious_names", None):
                raise ValidationError({"files": [_("A file name may not contain folders or “..”.")]})
            data = validated(AnswerSerializer, request)
        item = service.answer(actor=request.user, item_id=pk, text=data["answer"], uploads=data.get("files", []),
                              request=request)
        return self._fresh(item)

    @extend_schema(request=DeclineSerializer, responses=AssistanceSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        with refused_input(request, "assistance", pk, "assistance.decline"):
            data = validated(DeclineSerializer, request)
        item = service.decline(actor=request.user, item_id=pk, reason=data["reason"], request=request)
        return self._fresh(item)


def ask_view(request, case_id):
    with refused_input(request, "case", case_id, "assistance.ask"):
        data = validated(AskSerializer, request)
    item = service.ask(actor=request.user, case=case_id, request=request, **data)
    item = access.visible_assistance(request.user).select_related("case", "from_agency", "to_agency").get(pk=item.pk)
    return Response(AssistanceSerializer(item).data, status=status.HTTP_201_CREATED)
