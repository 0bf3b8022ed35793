from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..audit_chain import canonical, sign
from .timeline import SignedRow


class AuditEntry(SignedRow):
    """Every write and every read of a case's detail. Each entry carries the
    hash of the one before it, so an altered or removed entry breaks the
    chain at that point (`manage.py verify_audit`). The hash is an HMAC with
    a key the database never sees (casehub/audit_chain.py); checkpoints
    (AuditCheckpoint) anchor the head, so a removed tail shows too."""

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
    # Which key signed `hash` (audit_chain.keyring): keys can be rotated.
    key_id = models.CharField(max_length=16, default="")

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="audit_object"),
            models.Index(fields=["owner_agency", "seq"], name="audit_owner_agency"),
        ]

    # The signed fields, in order; an archive line carries exactly these.
    SIGNED_FIELDS = ("seq", "at", "user_id", "agency_id", "owner_agency_id", "ip_address", "action",
                     "object_type", "object_id", "result", "detail", "prev_hash", "key_id")

    @classmethod
    def canonical_of(cls, values: dict) -> bytes:
        return canonical([values[name] for name in cls.SIGNED_FIELDS])

    def canonical(self) -> bytes:
        return self.canonical_of(self.signed_values())

    def compute_hash(self) -> str:
        """HMAC-SHA256 under the key named by key_id (UnknownKey if none)."""
        return sign(self.key_id, self.canonical())
