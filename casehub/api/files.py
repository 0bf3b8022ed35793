from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ..evidence_download import file_response
from ..models import CustodyEvent, EvidenceFile
from ..rules.files import ACCEPTED
from ..services import evidence as service
from .input import refused_input, validated


class CustodySerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = CustodyEvent
        fields = ["at", "action", "actor", "agency", "detail"]


class EvidenceFileSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    integrity_ok = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceFile
        fields = ["id", "case", "name", "description", "kind", "content_type", "size", "sha256", "uploaded_by",
                  "agency", "uploaded_at", "integrity_ok", "download"]

    def get_integrity_ok(self, evidence) -> bool:
        return evidence.integrity_failed_at is None

    def get_download(self, evidence) -> str:
        return f"/api/v1/files/{evidence.pk}/download/"


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, max_length=None)
    description = serializers.CharField(required=False, allow_blank=True, max_length=500)


def upload_view(request, case_id):
    with refused_input(request, "case", case_id, "file.upload"):
        if getattr(request.FILES, "suspicious_names", None):
            raise ValidationError({"file": [_("A file name may not contain folders or “..”.")]})
        data = validated(UploadSerializer, request)
    evidence = service.upload(actor=request.user, case=case_id, uploaded=data["file"],
                              description=data.get("description", ""), request=request)
    return Response(EvidenceFileSerializer(evidence).data, status=status.HTTP_201_CREATED)


DOWNLOAD_MEDIA_TYPES = sorted({content_type.split(";")[0] for _, content_type in ACCEPTED.values()})


class EvidenceFileViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A file of a case you may see: its record, chain of custody and (audited)
    download. There is no public URL for any file."""

    serializer_class = EvidenceFileSerializer
    queryset = EvidenceFile.objects.none()

    def get_object(self):
        # The service answers whether the caller may see it (404 otherwise, audited).
        return service.find_file(actor=self.request.user, file_id=self.kwargs.get("pk", ""), action=self.action,
                                 request=self.request)

    @extend_schema(responses=CustodySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole chain, never a page
    def custody(self, request, pk=None):
        """Who uploaded, shared, fetched or handed over the file: an audited read."""
        _evidence, events = service.read_custody(actor=request.user, file_id=pk, request=request)
        return Response(CustodySerializer(events, many=True).data)

    # The bytes in the file's own type (one of the accepted ones).
    @extend_schema(responses={(200, media_type): OpenApiTypes.BINARY for media_type in DOWNLOAD_MEDIA_TYPES})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        evidence, handle, intact = service.open_for_download(actor=request.user, file_id=pk, request=request)
        return file_response(evidence, handle, intact)
