from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..rules.transfers import MaterialKind, TransferKind, TransferStatus


class Transfer(models.Model):
    """A case sent from one agency to another (移送), from the officers'
    proposal to the receiver's acceptance, return or refusal."""

    case = models.ForeignKey("casehub.Case", on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("kind"), max_length=24, choices=TransferKind.choices)
    from_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="transfers_sent")
    to_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="transfers_received")
    # The procuratorate at the sender's level, copied on suspected crimes (抄送).
    supervising_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="transfers_supervised"
    )
    status = models.CharField(_("status"), max_length=16, choices=TransferStatus.choices,
                              default=TransferStatus.PROPOSED)
    reason = models.TextField(_("grounds for the transfer"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(_("items and files handed over"), null=True, blank=True)
    receiver_case_number = models.CharField(_("receiver's case number"), max_length=64, blank=True)
    last_reason = models.TextField(_("reason given at the last step"), blank=True)
    # The running step's deadline (None when no step is due).
    due_step = models.CharField(max_length=24, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # When the running step's clock started, so a change to the working
    # calendar can count its deadline again (None when no step is due, or
    # not known for a transfer older than the field).
    due_since = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["to_agency", "status", "-id"], name="transfer_inbox"),
            models.Index(fields=["from_agency", "status", "-id"], name="transfer_outbox"),
            models.Index(fields=["supervising_agency", "-id"], name="transfer_supervised"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.case_id}: {self.from_agency_id} → {self.to_agency_id}"


class TransferMaterial(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=32, choices=MaterialKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.ForeignKey("casehub.EvidenceFile", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["transfer_id", "id"]
