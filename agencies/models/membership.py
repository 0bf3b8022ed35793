from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..roles import Role


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True, agency__active=True)


class Membership(models.Model):
    """One role held by one user in one agency. Ending a membership keeps
    the row (who held which role when matters for the record)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["agency_id", "role", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                condition=Q(ended_at__isnull=True),
                name="membership_one_current_role",
                violation_error_message=_("This user already holds this role in this agency."),
            ),
        ]
        indexes = [models.Index(fields=["user", "agency"], name="membership_user_agency")]

    def __str__(self):
        return f"{self.user} · {self.agency} · {self.get_role_display()}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None
