from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..rules.workflow import Outcome, Status
from ..vocabulary import Campaign, CaseKind, CaseSource, IpType


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=64, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    ip_type = models.CharField(_("IP right type"), max_length=32, choices=IpType.choices)
    kind = models.CharField(_("case kind"), max_length=32, choices=CaseKind.choices)
    source = models.CharField(_("source"), max_length=32, choices=CaseSource.choices)
    owning_agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("owning agency"), on_delete=models.PROTECT, related_name="cases"
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lead officer"), on_delete=models.PROTECT, related_name="led_cases"
    )
    handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("handlers"), related_name="handled_cases", blank=True
    )
    region = models.ForeignKey("agencies.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    facts = models.TextField(_("facts"), blank=True)
    amount_involved = models.DecimalField(
        _("amount involved (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    seized_goods = models.TextField(_("seized goods"), blank=True)
    campaign = models.CharField(_("campaign"), max_length=8, choices=Campaign.choices, blank=True)

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.LEAD)
    status_before_suspension = models.CharField(max_length=16, choices=Status.choices, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Bumped with every change to what the case's search document shows
    # (timeline.record_event): the index's external version, so an older
    # document never overwrites a newer one.
    index_version = models.PositiveBigIntegerField(default=1, editable=False)

    lead_received_on = models.DateField(_("lead received on"), default=timezone.localdate)
    filed_on = models.DateField(_("filed on"), null=True, blank=True, editable=False)
    not_filed_reason = models.TextField(blank=True, editable=False)
    # The decision (document number, date, penalties) as recorded by `decide`.
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True, editable=False)
    decision_number = models.CharField(_("decision document number"), max_length=64, blank=True, editable=False)
    decision_date = models.DateField(_("decision date"), null=True, blank=True, editable=False)
    penalties = models.JSONField(_("penalties"), default=list, blank=True, editable=False)
    fine_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True, editable=False)
    confiscated_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True, editable=False)
    legal_basis = models.TextField(blank=True, editable=False)
    decision_reason = models.TextField(blank=True, editable=False)
    closed_on = models.DateField(null=True, blank=True, editable=False)

    # Derived from the deadline rules whenever the case changes, stored so
    # "overdue" and "due soon" are indexed filters.
    next_deadline = models.CharField(max_length=32, blank=True, editable=False)
    next_deadline_on = models.DateField(null=True, blank=True, editable=False)
    deadline_warning = models.CharField(max_length=120, blank=True, editable=False)
    # The filing and decision deadlines as last computed while each ran, kept
    # once it has stopped running: whether the case was filed (decided)
    # within its deadline is one comparison in an aggregate (statistics).
    filing_due_on = models.DateField(null=True, blank=True, editable=False)
    decision_due_on = models.DateField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False, null=True
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["owning_agency", "-id"], name="case_agency_recent"),
            models.Index(fields=["owning_agency", "status", "-id"], name="case_agency_status"),
            models.Index(fields=["next_deadline_on"], name="case_next_deadline"),
            # The list by next deadline (listing/page.py: ASC NULLS LAST, id), one agency's cases.
            models.Index(fields=["owning_agency", "next_deadline_on", "id"], name="case_agency_deadline"),
            models.Index(fields=["status", "-id"], name="case_status_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_involved__isnull=True) | models.Q(amount_involved__gte=0),
                name="case_amount_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        # index_version moves only by an atomic UPDATE (services/timeline.py:
        # move_index_version); a full save of an instance read earlier must
        # not write back a stale one.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields
                                       if not f.primary_key and f.name != "index_version"]
        super().save(*args, **kwargs)


class CaseNumberSequence(models.Model):
    """The last number an agency gave out in a year. Locked while a case is
    numbered so two cases never share one."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="case_number_sequence_unique")]
