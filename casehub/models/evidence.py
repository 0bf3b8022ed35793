import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .timeline import AppendOnly


def stored_path(instance, filename):
    # The stored name says nothing about the file: no user text reaches the path.
    return f"evidence/{instance.case_id}/{uuid.uuid4().hex}"


class EvidenceFile(models.Model):
    case = models.ForeignKey("casehub.Case", on_delete=models.PROTECT, related_name="files")
    name = models.CharField(_("file name"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)
    file = models.FileField(upload_to=stored_path, max_length=200)
    kind = models.CharField(_("type"), max_length=16)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Set when a check found the stored bytes no longer match sha256.
    integrity_failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["case_id", "id"]


class CustodyEvent(AppendOnly):
    """The chain of custody of a file: uploaded, viewed, shared with an
    agency by a transfer, handed over, found altered."""

    file = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, related_name="custody")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", null=True, on_delete=models.PROTECT, related_name="+")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["file_id", "id"]
