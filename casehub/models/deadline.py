from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..vocabulary import ClockStopReason


class ClockStop(models.Model):
    """A period that does not count toward the case's deadlines, from the
    day the clock stopped up to (not including) the day it restarted."""

    case = models.ForeignKey("casehub.Case", on_delete=models.PROTECT, related_name="clock_stops")
    reason = models.CharField(_("reason"), max_length=32, choices=ClockStopReason.choices)
    stopped_on = models.DateField(_("stopped on"))
    restarted_on = models.DateField(_("restarted on"), null=True, blank=True)

    class Meta:
        ordering = ["case_id", "stopped_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(restarted_on__isnull=True), name="one_open_clock_stop"
            ),
        ]


class DeadlineExtension(models.Model):
    """The head's approval of a longer period, or the leadership's collective
    decision that sets the due date outright."""

    case = models.ForeignKey("casehub.Case", on_delete=models.PROTECT, related_name="extensions")
    deadline = models.CharField(_("deadline"), max_length=32)
    days = models.PositiveIntegerField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True, help_text=_("Set by collective decision."))
    meeting_date = models.DateField(null=True, blank=True)
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "id"]


class CalendarDay(models.Model):
    """An admin's entry in the working-day calendar: overrides the
    chinesecalendar package and extends it to years it does not cover."""

    date = models.DateField(_("date"), primary_key=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'班' if self.is_working_day else '休'}"


class CalendarYear(models.Model):
    """A year whose whole schedule has been entered, so the weekday fallback
    (and its warning) no longer applies to it."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("e.g. the State Council notice."))

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]


class DeadlineAlert(models.Model):
    """A deadline reminder raised once: one row per case, deadline, due date
    and kind, so running the check again (or two workers at once) alerts
    nobody twice, while an extended deadline gets reminders of its own."""

    class Kind(models.TextChoices):
        DUE = "due", _("due within one working day")
        OVERDUE = "overdue", _("overdue")

    case = models.ForeignKey("casehub.Case", on_delete=models.CASCADE, related_name="deadline_alerts")
    deadline = models.CharField(max_length=32)
    due_on = models.DateField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    raised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "deadline", "due_on", "kind"], name="one_alert_per_deadline_kind"),
        ]
