from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from .. import access, listing
from ..calendar import working_calendar
from ..models import Case
from ..services import cases as service
from ..services import participants
from . import case_list
from .concurrency import expected_version
from .case_serializers import (
    ActionSerializer,
    CaseDetailSerializer,
    CaseListSerializer,
    CaseWriteSerializer,
    NoteSerializer,
    PartySerializer,
    TimelineEventSerializer,
)
from .assistance import AskSerializer, AssistanceSerializer, ask_view
from .participants import ParticipantSerializer
from .files import EvidenceFileSerializer, UploadSerializer, upload_view
from .input import raw_field, refused_input, validated
from .parsers import StrictMultiPartParser
from .transfers import ProposeSerializer, TransferSerializer, propose_view


class CasePagination(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class EventPagination(CursorPagination):
    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class CaseViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Cases the caller's agencies may see. Another agency's case does not
    exist here: every path answers 404 and no list or count includes it."""

    pagination_class = CasePagination  # documents `cursor` and `page_size`; casehub/listing/ pages
    filter_backends = []  # casehub/listing/ filters and orders the list
    # DELETE serves only sub-resources (participants): a case is never deleted.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = Case.objects.none()  # typed for the schema; the real one is per user

    def get_queryset(self):
        qs = Case.objects.select_related("owning_agency")
        if self.action == "retrieve":
            qs = qs.select_related("lead_officer").prefetch_related("handlers", "parties")
        return access.visible_cases(self.request.user, qs)

    @extend_schema(parameters=case_list.PARAMETERS)
    def list(self, request, *args, **kwargs):
        # One SQL statement from validated parameters: see casehub/listing/.
        values = case_list.parse(request.query_params)
        page = listing.fetch_page(request.user, values)
        build = listing.RowBuilder(working_calendar())
        next_url, previous_url = case_list.links(request, values, page)
        return Response({"next": next_url, "previous": previous_url, "results": [build(r) for r in page.rows]})

    def get_serializer_class(self):
        if self.action == "list":
            return CaseListSerializer
        if self.action in ("create", "partial_update"):
            return CaseWriteSerializer
        return CaseDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "calendar": working_calendar()}

    def get_object(self):
        # The service answers whether the caller may see it (404 otherwise, audited).
        return service.find_case(actor=self.request.user, case_id=self.kwargs.get("pk", ""), action=self.action,
                                 request=self.request, queryset=self.get_queryset())

    def _detail(self, case, status_code=status.HTTP_200_OK):
        case = self.get_queryset().select_related("lead_officer").prefetch_related("handlers", "parties").get(pk=case.pk)
        data = CaseDetailSerializer(case, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers={"ETag": f'"{case.version}"'})

    def retrieve(self, request, *args, **kwargs):
        case = service.read_case(actor=request.user, case_id=kwargs.get("pk", ""), request=request,
                                 queryset=self.get_queryset())
        data = CaseDetailSerializer(case, context=self.get_serializer_context()).data
        return Response(data, headers={"ETag": f'"{case.version}"'})

    @extend_schema(request=CaseWriteSerializer, responses={201: CaseDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(CaseWriteSerializer, request, context=self.get_serializer_context())
        data.pop("version", None)
        agency, handlers, parties = data.pop("agency", None), data.pop("handlers", []), data.pop("parties", [])
        case = service.create_case(actor=request.user, agency=agency, data=data, handlers=handlers, parties=parties,
                                   request=request)
        return self._detail(case, status.HTTP_201_CREATED)

    @extend_schema(request=CaseWriteSerializer, responses={200: CaseDetailSerializer},
                   parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)])
    def partial_update(self, request, pk=None, **kwargs):
        with refused_input(request, "case", pk, "case.update"):
            version = expected_version(request, required=True)
            changes = validated(CaseWriteSerializer, request, partial=True, context=self.get_serializer_context())
        changes.pop("version", None)
        handlers = changes.pop("handlers", None)
        case = service.update_case(actor=request.user, case_id=pk, expected_version=version, changes=changes,
                                   handlers=handlers, request=request)
        return self._detail(case)

    @extend_schema(request=ActionSerializer, responses={200: CaseDetailSerializer},
                   parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)])
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """Take a workflow action: `{"action": "file", ...its fields}`. An
        action the case's status does not allow is a 409 listing those that
        are allowed."""
        with refused_input(request, "case", pk, lambda: service.transition_act(raw_field(request, "action"))):
            data = validated(ActionSerializer, request)
            version = expected_version(request)
        name = data.pop("action")
        data.pop("version", None)
        case = service.apply_action(actor=request.user, case_id=pk, name=name, data=data, expected_version=version,
                                    request=request)
        return self._detail(case)

    @extend_schema(request=ProposeSerializer, responses={201: TransferSerializer})
    @action(detail=True, methods=["post"])
    def transfers(self, request, pk=None):
        """Propose a transfer of this case to another agency (see /transfers/)."""
        return propose_view(request, pk)

    @extend_schema(methods=["get"], responses=ParticipantSerializer(many=True))
    @extend_schema(methods=["post"], request=ParticipantSerializer, responses={201: ParticipantSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def participants(self, request, pk=None):
        """Agencies working this case jointly (联合执法), each with its role."""
        if request.method == "POST":
            with refused_input(request, "case", pk, "case.add_participant"):
                data = validated(ParticipantSerializer, request)
            item = participants.add(actor=request.user, case=pk, request=request, **data)
            return Response(ParticipantSerializer(item).data, status=status.HTTP_201_CREATED)
        case = self.get_object()
        current = case.participants.filter(ended_at__isnull=True).select_related("agency")
        return Response(ParticipantSerializer(current, many=True).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"participants/(?P<participant_id>\d+)")
    def end_participant(self, request, pk=None, participant_id=None):
        participants.end(actor=request.user, case=pk, participant_id=int(participant_id), request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=AskSerializer, responses={201: AssistanceSerializer})
    @action(detail=True, methods=["post"])
    def assistance(self, request, pk=None):
        """Ask another agency to verify or investigate something for this case."""
        return ask_view(request, pk)

    @extend_schema(methods=["get"], responses=EvidenceFileSerializer(many=True))
    @extend_schema(methods=["post"], request={"multipart/form-data": UploadSerializer},
                   responses={201: EvidenceFileSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None,
            parser_classes=[StrictMultiPartParser])
    def files(self, request, pk=None):
        """The case's evidence files; POST multipart `file` (and `description`) to add one."""
        if request.method == "POST":
            return upload_view(request, pk)
        case = self.get_object()
        files = case.files.select_related("uploaded_by", "agency")
        return Response(EvidenceFileSerializer(files, many=True).data)

    @extend_schema(responses=TimelineEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=EventPagination)
    def timeline(self, request, pk=None):
        case = self.get_object()
        events = case.timeline.select_related("actor", "agency")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(TimelineEventSerializer(page, many=True).data)

    @extend_schema(methods=["get"], responses=NoteSerializer(many=True))
    @extend_schema(methods=["post"], request=NoteSerializer, responses={201: NoteSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=EventPagination)
    def notes(self, request, pk=None):
        if request.method == "POST":
            with refused_input(request, "case", pk, "case.add_note"):
                data = validated(NoteSerializer, request)
            note = service.add_note(actor=request.user, case=pk, text=data["text"], request=request)
            return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)
        case = self.get_object()
        page = self.paginate_queryset(case.notes.select_related("author", "agency"))
        return self.get_paginated_response(NoteSerializer(page, many=True).data)

    @extend_schema(methods=["get"], responses=PartySerializer(many=True))
    @extend_schema(methods=["post"], request=PartySerializer, responses={201: PartySerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def parties(self, request, pk=None):
        if request.method == "POST":
            with refused_input(request, "case", pk, "case.add_party"):
                data = validated(PartySerializer, request)
            party = service.add_party(actor=request.user, case=pk, data=data, request=request)
            return Response(PartySerializer(party, context={"request": request}).data, status=status.HTTP_201_CREATED)
        # Full ID numbers and informants, for those who may see them: an audited read.
        case, parties = service.read_parties(actor=request.user, case_id=pk, request=request)
        return Response(PartySerializer(parties, many=True, context={"request": request, "case": case}).data)
