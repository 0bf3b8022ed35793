from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One domain event for one subscriber, written in the same transaction
    as the change that caused it and delivered by the worker at least once.

    One row per subscriber (not per event) so a search outage delays only
    the index, never the notifications, and each retries on its own.
    """

    subscriber = models.CharField(max_length=64)
    event_type = models.CharField(max_length=64)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    available_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True, help_text=_("Gave up after the last retry."))

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # The worker's scan: pending rows of a subscriber, oldest first.
            models.Index(
                fields=["subscriber", "available_at", "id"],
                name="outbox_pending",
                condition=Q(processed_at__isnull=True, failed_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.event_type} → {self.subscriber} #{self.pk}"
