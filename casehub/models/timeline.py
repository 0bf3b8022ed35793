from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnly(models.Model):
    """Rows that are written once and never changed or removed by the
    application (the audit log's database trigger enforces it too)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_initial", False):
            raise RuntimeError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__name__} is append-only")


class SignedRow(AppendOnly):
    """An append-only row whose SIGNED_FIELDS are signed (audit entries,
    checkpoints): the values as signed, the time as ISO text."""

    SIGNED_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def signed_values(self) -> dict:
        values = {name: getattr(self, name) for name in self.SIGNED_FIELDS}
        values["at"] = self.at.isoformat()
        return values


class TimelineEvent(AppendOnly):
    """One act on a case, in the order it happened: transitions, edits with
    before/after values, parties, notes, extensions, clock stops."""

    case = models.ForeignKey("casehub.Case", on_delete=models.PROTECT, related_name="timeline")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", null=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    summary = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["case_id", "id"]
        indexes = [models.Index(fields=["case", "id"], name="timeline_case_order")]


class Note(models.Model):
    case = models.ForeignKey("casehub.Case", on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["case_id", "id"]
