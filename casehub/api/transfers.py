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
from ..models import SupervisionOpinion, Transfer, TransferMaterial
from ..rules import transfers as rules
from ..rules.transfers import MaterialKind, OpinionKind, TransferKind, TransferStatus
from ..services import transfers as service
from .case_serializers import AgencyRefSerializer
from .concurrency import expected_version
from .input import raw_field, refused_input, validated


class FileIdField(serializers.IntegerField):
    """An evidence file by id: read as a number, shown as the file's id."""

    def to_representation(self, value):
        return super().to_representation(getattr(value, "pk", value))


class MaterialSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=MaterialKind.choices)
    title = serializers.CharField(max_length=200)
    # An id, not a lookup: whether the file is one of the case's is the
    # service's rule (and another case's file is refused like a missing one).
    file = FileIdField(required=False, allow_null=True, min_value=1, help_text="An evidence file of the same case.")

    class Meta:
        model = TransferMaterial
        fields = ["id", "kind", "title", "file", "added_at"]
        read_only_fields = ["added_at"]


class OpinionSerializer(serializers.ModelSerializer):
    procuratorate = AgencyRefSerializer(read_only=True)
    kind = serializers.ChoiceField(choices=OpinionKind.choices)
    opinion = serializers.CharField(max_length=20000)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionOpinion
        fields = ["id", "procuratorate", "kind", "opinion", "issued_at", "due_on", "response", "responded_at",
                  "responded_late", "overdue"]
        read_only_fields = ["issued_at", "due_on", "response", "responded_at", "responded_late"]

    def get_overdue(self, item) -> bool:
        return item.responded_at is None and item.due_on < timezone.localdate()


class ReplySerializer(serializers.Serializer):
    response = serializers.CharField(max_length=20000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class TransferSerializer(serializers.ModelSerializer):
    from_agency = AgencyRefSerializer(read_only=True)
    to_agency = AgencyRefSerializer(read_only=True)
    supervising_agency = AgencyRefSerializer(read_only=True, allow_null=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    materials = MaterialSerializer(many=True, read_only=True)
    opinions = OpinionSerializer(many=True, read_only=True)
    overdue = serializers.SerializerMethodField()
    available_steps = serializers.SerializerMethodField()
    missing_materials = serializers.SerializerMethodField()

    class Meta:
        model = Transfer
        fields = [
            "id", "case", "case_number", "kind", "status", "status_display", "from_agency", "to_agency",
            "supervising_agency", "reason", "proposed_at", "approved_at", "sent_at", "decided_at",
            "receiver_case_number", "handed_over_at", "last_reason", "due_step", "due_at", "overdue", "materials",
            "missing_materials", "opinions", "available_steps", "version",
        ]

    def get_overdue(self, transfer) -> bool:
        return transfer.due_at is not None and transfer.due_at < timezone.now()

    def get_available_steps(self, transfer) -> list[str]:
        return rules.available_steps(transfer.status, access.transfer_sides(self.context["request"].user, transfer))

    def get_missing_materials(self, transfer) -> list[str]:
        return rules.missing_materials(transfer.kind, {m.kind for m in transfer.materials.all()})


class ProposeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TransferKind.choices)
    to_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    reason = serializers.CharField(max_length=20000)
    materials = MaterialSerializer(many=True, required=False)


class HandOverSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, help_text="What was handed over, to whom.")


class StepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=sorted(rules.STEPS))
    version = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, max_length=5000)
    comment = serializers.CharField(required=False, max_length=2000)
    receiver_case_number = serializers.CharField(required=False, max_length=64)

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class TransferFilter(django_filters.FilterSet):
    box = django_filters.ChoiceFilter(
        choices=[("incoming", "incoming"), ("outgoing", "outgoing"), ("supervising", "supervising")],
        method="filter_box",
    )
    status = django_filters.MultipleChoiceFilter(choices=TransferStatus.choices, distinct=False)
    kind = django_filters.MultipleChoiceFilter(choices=TransferKind.choices, distinct=False)
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    open = django_filters.BooleanFilter(method="filter_open")

    class Meta:
        model = Transfer
        fields = ["box", "status", "kind", "case"]

    def filter_box(self, queryset, name, value):
        mine = access.agency_ids(self.request.user)
        field = {"incoming": "to_agency_id__in", "outgoing": "from_agency_id__in",
                 "supervising": "supervising_agency_id__in"}[value]
        return queryset.filter(**{field: mine})

    def filter_overdue(self, queryset, name, value):
        late = Q(due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_open(self, queryset, name, value):
        return queryset.filter(status__in=service.OPEN_STATUSES) if value else queryset.exclude(
            status__in=service.OPEN_STATUSES)


class TransferPagination(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class TransferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Transfers my agencies sent, received, or supervise; the inbox is
    `?box=incoming&open=true`, with each step's deadline and overdue flag."""

    serializer_class = TransferSerializer
    filterset_class = TransferFilter
    pagination_class = TransferPagination
    ordering_fields = []
    queryset = Transfer.objects.none()

    def get_queryset(self):
        qs = Transfer.objects.select_related("case", "from_agency", "to_agency", "supervising_agency")
        return access.visible_transfers(self.request.user, qs.prefetch_related("materials", "opinions__procuratorate"))

    def get_object(self):
        # The service answers whether the caller may see it (404 otherwise, audited).
        return service.find_transfer(actor=self.request.user, transfer_id=self.kwargs.get("pk", ""),
                                     action=self.action, request=self.request, queryset=self.get_queryset())

    def _fresh(self, transfer_id):
        return Response(self.get_serializer(self.get_queryset().get(pk=transfer_id)).data)

    @extend_schema(request=ReasonSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"], url_path="request-supervision")
    def request_supervision(self, request, pk=None):
        """The sender asks the procuratorate to supervise a refused transfer."""
        with refused_input(request, "transfer", pk, "transfer.request_supervision"):
            data = validated(ReasonSerializer, request)
        service.request_supervision(actor=request.user, transfer_id=pk, reason=data["reason"], request=request)
        return self._fresh(pk)

    @extend_schema(request=OpinionSerializer, responses={201: OpinionSerializer})
    @action(detail=True, methods=["post"])
    def opinions(self, request, pk=None):
        """The supervising procuratorate records an opinion; police reply by its due date."""
        with refused_input(request, "transfer", pk, "transfer.opinion"):
            data = validated(OpinionSerializer, request)
        item = service.issue_opinion(actor=request.user, transfer_id=pk, kind=data["kind"], opinion=data["opinion"],
                                     request=request)
        return Response(OpinionSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReplySerializer, responses=OpinionSerializer)
    @action(detail=True, methods=["post"], url_path=r"opinions/(?P<opinion_id>\d+)/reply")
    def reply(self, request, pk=None, opinion_id=None):
        with refused_input(request, "transfer", pk, "transfer.reply_to_opinion"):
            data = validated(ReplySerializer, request)
        item = service.reply_to_opinion(actor=request.user, transfer_id=pk, opinion_id=int(opinion_id),
                                        response=data["response"], request=request)
        return Response(OpinionSerializer(item).data)

    @extend_schema(request=StepSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        with refused_input(request, "transfer", pk, lambda: service.step_act(raw_field(request, "step"))):
            data = validated(StepSerializer, request)
            version = expected_version(request)
        name = data.pop("step")
        data.pop("version", None)
        service.take_step(actor=request.user, transfer_id=pk, name=name, data=data, expected_version=version,
                          request=request)
        return self._fresh(pk)

    @extend_schema(request=HandOverSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request, pk=None):
        """Record the hand-over of seized items and files after acceptance."""
        with refused_input(request, "transfer", pk, "transfer.hand_over"):
            data = validated(HandOverSerializer, request)
        service.hand_over(actor=request.user, transfer_id=pk, note=data["note"], request=request)
        return self._fresh(pk)

    @extend_schema(request=MaterialSerializer, responses={201: MaterialSerializer})
    @action(detail=True, methods=["post"])
    def materials(self, request, pk=None):
        with refused_input(request, "transfer", pk, "transfer.add_material"):
            data = validated(MaterialSerializer, request)
        material = service.add_material(actor=request.user, transfer=pk, request=request, **data)
        return Response(MaterialSerializer(material).data, status=status.HTTP_201_CREATED)


def propose_view(request, case_id):
    """POST /cases/{id}/transfers/: propose a transfer of the case."""
    with refused_input(request, "case", case_id, "transfer.propose"):
        data = validated(ProposeSerializer, request)
    transfer = service.propose(actor=request.user, case=case_id, request=request, **data)
    transfer = access.visible_transfers(request.user).select_related(
        "case", "from_agency", "to_agency", "supervising_agency").get(pk=transfer.pk)
    return Response(TransferSerializer(transfer, context={"request": request}).data, status=status.HTTP_201_CREATED)
