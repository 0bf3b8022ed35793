import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .timeline import AppendOnly


class AuditEntry(AppendOnly):
    """Every write and every read of a case's detail. Each entry carries the
    hash of the one before it, so an altered or removed entry breaks the
    chain at that point (`manage.py verify_audit`)."""

    RESULT_ALLOWED = "allowed"
    RESULT_DENIED = "denied"

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    # The agency the actor acted for, and the agency that owns the object
    # acted on: a denied attempt on another agency's case shows in both
    # agencies' logs (the owner's auditors must see who tried).
    agency = models.ForeignKey("agencies.Agency", null=True, on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey("agencies.Agency", null=True, on_delete=models.PROTECT, related_name="+")
    ip_address = models.GenericIPAddressField(null=True)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40, blank=True)
    result = models.CharField(max_length=8)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="audit_object"),
            models.Index(fields=["owner_agency", "seq"], name="audit_owner_agency"),
        ]

    def canonical(self) -> bytes:
        return json.dumps(
            [
                self.seq, self.at.isoformat(), self.user_id, self.agency_id, self.owner_agency_id, self.ip_address,
                self.action, self.object_type, self.object_id, self.result, self.detail, self.prev_hash,
            ],
            sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
        ).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()
