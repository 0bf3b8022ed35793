from django.db import models
from django.utils.translation import gettext_lazy as _

from ..vocabulary import PartyKind, PartyRole


class Party(models.Model):
    """A party as recorded in one case. Enterprises are identified across
    cases by their unified social credit code."""

    case = models.ForeignKey("casehub.Case", on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=PartyKind.choices)
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True, db_index=True)
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    contact = models.CharField(_("contact"), max_length=64, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["id"]
        indexes = [models.Index(fields=["name"], name="party_name")]

    def __str__(self):
        # An informant's name stays out of anything that prints a party (the
        # admin's rows, logs): only the owner's reviewers and head see it.
        return str(PartyRole.INFORMANT.label) if self.role == PartyRole.INFORMANT else self.name
