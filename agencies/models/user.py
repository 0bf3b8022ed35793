from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """An officer, or a service account through which another system talks
    to casehub on behalf of one agency."""

    full_name = models.CharField(_("full name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    service_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("service account of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_accounts",
        help_text=_("Set for a system account: it authenticates only by API token."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_service_account(self) -> bool:
        return self.service_agency_id is not None

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def __str__(self):
        return self.display_name
