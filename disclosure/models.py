from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RecordStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    PUBLISHED = "published", _("Public")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Publicity ended")


class Field(models.TextChoices):
    """Regulated fields with their own periods (rules/publicity.py)."""

    FOOD = "food", _("Food")
    DRUGS = "drugs", _("Drugs")
    SPECIAL_EQUIPMENT = "special_equipment", _("Special equipment")
    WORK_SAFETY = "work_safety", _("Work safety")
    FIRE = "fire", _("Fire safety")


class WithdrawnReason(models.TextChoices):
    REVOKED = "decision revoked", _("Decision revoked")
    NOT_PUBLISHED = "no longer published", _("Changed to a penalty that is not published")
    REPAIRED = "credit repaired", _("Credit repaired")


class DisclosureRecord(models.Model):
    """A penalty decision against one party, as it is (or will be) made
    public. The full party name is kept for the agencies; the public sees
    `public_snapshot` only (rules/redaction.py)."""

    case = models.ForeignKey("casehub.Case", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("deciding agency"), on_delete=models.PROTECT,
                               related_name="+")
    party = models.ForeignKey("casehub.Party", on_delete=models.PROTECT, related_name="+")
    party_kind = models.CharField(max_length=16)
    party_name = models.CharField(_("party"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True, db_index=True)
    decision_number = models.CharField(_("decision document number"), max_length=64)
    decision_date = models.DateField(_("decision date"))
    ip_type = models.CharField(max_length=32)
    violation_type = models.CharField(_("violation type"), max_length=200)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    penalties = models.JSONField(_("penalties"), default=list)
    field = models.CharField(_("regulated field"), max_length=24, blank=True, choices=Field.choices,
                             help_text=_("Food, drugs, special equipment, work safety and fire have longer periods."))
    fine_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    confiscated_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=12, choices=RecordStatus.choices, default=RecordStatus.PENDING)
    due_on = models.DateField(_("to be published by"))
    late = models.BooleanField(_("published late or overdue"), default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("publicity ends on"), null=True, blank=True)
    repair_possible_from = models.DateField(null=True, blank=True)
    withdrawn_reason = models.CharField(_("why withdrawn"), max_length=200, blank=True, choices=WithdrawnReason.choices)
    revision = models.PositiveIntegerField(default=1)
    correction_note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("disclosure record")
        verbose_name_plural = _("disclosure records")
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="one_record_per_case_party")]
        indexes = [
            models.Index(fields=["status", "publicity_ends_on"], name="disclosure_public"),
            models.Index(fields=["agency", "status", "due_on"], name="disclosure_agency_due"),
            # The public list's order (the portal, the API's list): a page is a walk of this index, whatever its depth.
            models.Index(fields=["-published_on", "-id"], name="disclosure_public_order",
                         condition=models.Q(status="published")),
        ]


class DisclosureChange(models.Model):
    """The incremental feed: the changes to the public set, in order. The
    id is the cursor; `snapshot` is what the public sees after the change
    (empty when the record left the public set). A record's newest change
    supersedes its earlier published/corrected ones, which are deleted
    (services._change): the feed never keeps what is no longer public."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("Published")
        CORRECTED = "corrected", _("Corrected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    id = models.BigAutoField(primary_key=True)
    record = models.ForeignKey(DisclosureRecord, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    snapshot = models.JSONField(default=dict)


class DisclosureRevision(models.Model):
    """What the public saw of a record, revision by revision: as published,
    then after each correction, with the correction's note. The agency's
    record of the public history; never public itself (the feed keeps a
    record's newest change alone, services._change)."""

    record = models.ForeignKey(DisclosureRecord, on_delete=models.PROTECT, related_name="revisions")
    revision = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=DisclosureChange.Kind.choices)
    snapshot = models.JSONField(default=dict)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("public revision")
        verbose_name_plural = _("public revisions")
        constraints = [models.UniqueConstraint(fields=["record", "revision"], name="one_revision_per_number")]


class CreditRepair(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    record = models.ForeignKey(DisclosureRecord, on_delete=models.PROTECT, related_name="repairs")
    applicant = models.CharField(_("applicant"), max_length=200)
    reason = models.TextField(_("grounds"))
    applied_on = models.DateField(_("applied on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("credit repair")
        verbose_name_plural = _("credit repairs")


class FeedClock(models.Model):
    """One row, locked by every transaction that writes a change, so that
    change ids (the feed's cursor) follow commit order: a consumer that has
    read up to n never misses a change below n committed later."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
