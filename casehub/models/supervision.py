from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..rules.transfers import OpinionKind


class SupervisionOpinion(models.Model):
    """The supervising procuratorate's word on a transfer, and the receiving
    police's reply within its period."""

    transfer = models.ForeignKey("casehub.Transfer", on_delete=models.PROTECT, related_name="opinions")
    procuratorate = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=24, choices=OpinionKind.choices)
    opinion = models.TextField(_("opinion"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(_("reply due on"))
    response = models.TextField(_("reply"), blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_late = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("supervision opinion")
        verbose_name_plural = _("supervision opinions")
        ordering = ["transfer_id", "id"]
