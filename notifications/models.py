from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import Kind, Scope


class Inbox(models.Model):
    """A user's notification counter. Taking the next number locks this row
    until the transaction commits, so a user's numbers follow commit order:
    a client that has seen n has seen everything before n."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE,
                                related_name="+")
    last_seq = models.PositiveBigIntegerField(default=0)


class Notification(models.Model):
    id = models.BigAutoField(primary_key=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    seq = models.PositiveBigIntegerField(help_text=_("The recipient's own running number, in commit order."))
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    case = models.ForeignKey("casehub.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    text = models.CharField(_("text"), max_length=200)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["recipient_id", "-seq"]
        constraints = [models.UniqueConstraint(fields=["recipient", "seq"], name="notification_recipient_seq")]
        indexes = [
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self):
        return self.text


class Preference(models.Model):
    """Whether a user hears of a kind, and whether only of what concerns
    them or of everything of that kind in their agencies. No row: personal."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.PERSONAL)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]
        indexes = [models.Index(fields=["kind", "scope"], name="preference_kind_scope")]
