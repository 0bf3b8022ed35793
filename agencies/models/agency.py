from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    COURT = "court", _("People's court")
    PROCURATORATE = "procuratorate", _("People's procuratorate")
    POLICE = "police", _("Public security")
    CUSTOMS = "customs", _("Customs")
    MARKET_SUPERVISION = "market_supervision", _("Market supervision (IP office)")
    COPYRIGHT = "copyright", _("Copyright administration")
    CULTURE_TOURISM = "culture_tourism", _("Culture and tourism enforcement")
    AGRICULTURE = "agriculture", _("Agriculture and rural affairs")
    FORESTRY = "forestry", _("Forestry")
    COMMERCE = "commerce", _("Commerce")
    CYBERSPACE = "cyberspace", _("Cyberspace administration")
    JUSTICE = "justice", _("Justice bureau")
    IP_PROTECTION_CENTRE = "ip_protection_centre", _("IP protection centre")
    ARBITRATION = "arbitration", _("Arbitration commission")
    MEDIATION = "mediation", _("People's mediation committee")
    NOTARY = "notary", _("Notary office")


agency_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{2,31}$",
    _("Use 3–32 capital letters, digits and hyphens, for example 420500-SCJG."),
)


class Agency(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True, validators=[agency_code_validator])
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(
        _("short name"), max_length=20, blank=True, help_text=_("Used as the prefix of case numbers, e.g. 宜市监.")
    )
    case_number_prefix = models.CharField(
        _("case number prefix"),
        max_length=20,
        blank=True,
        help_text=_("Prefix of the agency's case numbers, e.g. 宜市监知立 gives 宜市监知立〔2026〕12号."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices, db_index=True)
    region = models.ForeignKey(
        "agencies.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    active = models.BooleanField(_("active"), default=True)
    # The agency's guardian group: sharing an object with the agency is one
    # grant to this group (see agencies/groups.py).
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="agency", editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["region_id", "code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.name

    def effective_case_number_prefix(self) -> str:
        return self.case_number_prefix or f"{self.short_name or self.code}知立"

    def save(self, *args, **kwargs):
        from ..groups import ensure_agency_group

        ensure_agency_group(self)
        super().save(*args, **kwargs)
