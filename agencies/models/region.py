from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("Prefecture-level city or prefecture")
    DISTRICT = "district", _("District")
    COUNTY = "county", _("County")
    COUNTY_CITY = "county_city", _("County-level city")
    SPECIAL_ZONE = "special_zone", _("Special zone")


class Region(models.Model):
    """An administrative division, keyed by its GB/T 2260 code.

    Zones without a GB code (宜昌高新区, 三峡坝区) get internal codes that
    cannot collide with GB codes because they are not six digits.
    """

    code = models.CharField(
        _("code"),
        max_length=12,
        primary_key=True,
        validators=[RegexValidator(r"^(\d{6}|[A-Z0-9]{2,6}-[A-Z0-9]{2,5})$", _("Enter a six-digit GB/T 2260 code or an internal code such as YC-GXQ."))],
    )
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    has_gb_code = models.BooleanField(_("has a GB/T 2260 code"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def descendant_codes(self) -> list[str]:
        """Codes of this region and everything below it."""
        return Region.subtree_codes(self.code) or [self.code]

    @staticmethod
    def subtree_codes(code: str) -> list[str] | None:
        """Codes of the region `code` and everything below it; None if there
        is no such region. Regions are few: one query reads them all."""
        children: dict[str | None, list[str]] = {}
        known = set()
        for region, parent in Region.objects.values_list("code", "parent_id"):
            children.setdefault(parent, []).append(region)
            known.add(region)
        if code not in known:
            return None
        codes, frontier = [code], [code]
        while frontier:
            frontier = [child for parent in frontier for child in children.get(parent, [])]
            codes += frontier
        return codes
