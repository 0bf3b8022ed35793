from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AssistanceStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")


class AssistanceRequest(models.Model):
    """One agency asks another to verify or investigate something for a case
    (协查) by a due date. The answer and its files join the case; the asked
    agency sees the request, not the rest of the case."""

    case = models.ForeignKey("casehub.Case", on_delete=models.PROTECT, related_name="assistance_requests")
    from_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="assistance_sent")
    to_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="assistance_received")
    subject = models.CharField(_("subject"), max_length=200)
    details = models.TextField(_("what to verify or investigate"))
    due_on = models.DateField(_("answer due on"))
    status = models.CharField(max_length=12, choices=AssistanceStatus.choices, default=AssistanceStatus.OPEN)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_late = models.BooleanField(default=False)
    files = models.ManyToManyField("casehub.EvidenceFile", blank=True, related_name="+")

    class Meta:
        verbose_name = _("assistance request")
        verbose_name_plural = _("assistance requests")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["to_agency", "status", "-id"], name="assistance_inbox"),
            models.Index(fields=["from_agency", "status", "-id"], name="assistance_outbox"),
        ]
