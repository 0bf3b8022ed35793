from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..audit_chain import canonical, sign
from .timeline import SignedRow


class AuditCheckpoint(SignedRow):
    """A signed statement of the audit chain's head at a moment: its last
    entry's seq and hash, and how many entries the period since the previous
    checkpoint added. Checkpoints are themselves chained (each signs the one
    before), append-only in the database, and the application's database role
    may only insert and read them: removing the newest entries, or forging the
    last one, contradicts a checkpoint. An archive anchor (kind "archive")
    records entries moved to a signed archive file before their removal, so the
    chain continues from the archive's last hash."""

    KIND_CHECKPOINT = "checkpoint"
    KIND_ARCHIVE = "archive"

    kind = models.CharField(max_length=12, default=KIND_CHECKPOINT)
    at = models.DateTimeField(default=timezone.now)
    # checkpoint: the period's entries are (previous checkpoint's last_seq, last_seq];
    # archive: the entries removed are [first_seq, last_seq].
    first_seq = models.PositiveBigIntegerField()
    last_seq = models.PositiveBigIntegerField()
    last_hash = models.CharField(max_length=64)
    count = models.PositiveBigIntegerField()
    detail = models.JSONField(default=dict, blank=True)
    prev_signature = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["id"]
        indexes = [models.Index(fields=["kind", "last_seq"], name="audit_checkpoint_kind")]

    # Not the id (assigned by the insert): the order is the prev_signature
    # chain, and the mirror file matches rows by signature.
    SIGNED_FIELDS = ("kind", "at", "first_seq", "last_seq", "last_hash", "count", "detail",
                     "prev_signature", "key_id")

    @classmethod
    def canonical_of(cls, values: dict) -> bytes:
        return canonical(["casehub audit checkpoint", *(values[name] for name in cls.SIGNED_FIELDS)])

    def compute_signature(self) -> str:
        return sign(self.key_id, self.canonical_of(self.signed_values()))

    def as_line(self) -> dict:
        """The checkpoint as the mirror file and the log carry it."""
        return {"id": self.id, **self.signed_values(), "signature": self.signature}
