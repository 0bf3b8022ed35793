from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IndicatorTarget(models.Model):
    """A yearly target of the city's IP plan for one indicator casehub's data
    answers (casehub/statistics/indicators.py), entered by a platform
    administrator on the dashboard."""

    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.CharField(_("indicator"), max_length=48)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                                   editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["year", "indicator"]
        constraints = [models.UniqueConstraint(fields=["year", "indicator"], name="one_target_per_year_indicator")]

    def __str__(self):
        return f"{self.year} {self.indicator}: {self.target}"
