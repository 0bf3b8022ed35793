from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ParticipantRole(models.TextChoices):
    CO_HANDLER = "co_handler", _("Co-handling agency")  # adds files, parties and notes
    SUPPORTER = "supporter", _("Supporting agency")  # follows the case and adds notes


class CaseParticipant(models.Model):
    """An agency working a case jointly with its owner (联合执法)."""

    case = models.ForeignKey("casehub.Case", on_delete=models.PROTECT, related_name="participants")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=ParticipantRole.choices)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], condition=Q(ended_at__isnull=True),
                                    name="one_current_participation"),
        ]
