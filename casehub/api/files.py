from urllib.parse import quote

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from .. import access, audit
from ..models import AuditEntry, CustodyEvent, EvidenceFile
from ..rules.files import ACCEPTED
from ..services import evidence as service
from .refusals import refusal_response


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


def upload_view(request, case):
    if not access.can_contribute(request.user, case):
        raise PermissionDenied(_("Only the owning agency's handlers add files to an open case."))
    if getattr(request.FILES, "suspicious_names", None):
        raise ValidationError({"file": [_("A file name may not contain folders or “..”.")]})
    serializer = UploadSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        evidence = service.upload(actor=request.user, case=case, uploaded=serializer.validated_data["file"],
                                  description=serializer.validated_data.get("description", ""), request=request)
    except service.FileRejected as rejected:
        return refusal_response(rejected)
    return Response(EvidenceFileSerializer(evidence).data, status=status.HTTP_201_CREATED)


def visible_files(user):
    return EvidenceFile.objects.filter(case__in=access.visible_cases(user).values("pk"))


DOWNLOAD_MEDIA_TYPES = sorted({content_type.split(";")[0] for _, content_type in ACCEPTED.values()})


class EvidenceFileViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A file of a case you may see: its record, chain of custody and (audited)
    download. There is no public URL for any file."""

    serializer_class = EvidenceFileSerializer
    queryset = EvidenceFile.objects.none()

    def get_queryset(self):
        return visible_files(self.request.user).select_related("uploaded_by", "agency", "case")

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            audit.record(user=self.request.user, action=f"file.{self.action}", object_type="file",
                         object_id=self.kwargs.get("pk", ""), result=AuditEntry.RESULT_DENIED, request=self.request,
                         agency_id=audit.acting_agency_id(self.request.user))
            raise

    @extend_schema(responses=CustodySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole chain, never a page
    def custody(self, request, pk=None):
        evidence = self.get_object()
        return Response(CustodySerializer(evidence.custody.select_related("actor", "agency"), many=True).data)

    # The bytes in the file's own type (one of the accepted ones).
    @extend_schema(responses={(200, media_type): OpenApiTypes.BINARY for media_type in DOWNLOAD_MEDIA_TYPES})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        evidence = self.get_object()
        handle, intact = service.open_for_download(actor=request.user, evidence=evidence, request=request)
        response = FileResponse(handle, content_type=evidence.content_type)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(evidence.name)}"
        response["X-Content-Type-Options"] = "nosniff"
        response["X-Casehub-Sha256"] = evidence.sha256
        if not intact:
            response["X-Casehub-Integrity"] = "mismatch"
        return response


