from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.utils import timezone
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
    # When the password was last set (the maximum age counts from here; unset
    # for an account created before this was recorded: from date_joined).
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True, editable=False)

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

    def set_password(self, raw_password):
        # Whatever path changes a password (the change page, the API, the
        # admin, manage.py changepassword), the one it replaces is kept for
        # the reuse rule when the user is saved. The same password hashed
        # again (Django upgrading a hash at login) is no change.
        previous = self.password if self.pk and self.password and self.has_usable_password() else None
        if previous is not None and raw_password is not None and check_password(raw_password, previous):
            return super().set_password(raw_password)
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()
        if previous is not None:
            self._replaced_password = previous

    def save(self, *args, **kwargs):
        replaced = self.__dict__.pop("_replaced_password", None)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "password" in update_fields:
            kwargs["update_fields"] = {*update_fields, "password_changed_at"}
        if replaced is None or replaced == self.password:
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            self._remember_password(replaced)

    def _remember_password(self, password_hash: str) -> None:
        from .password_history import PasswordHistory

        PasswordHistory.objects.create(user=self, password=password_hash)
        # The current password is one of the last N, so N - 1 former ones.
        keep = max(settings.PASSWORD_HISTORY - 1, 0)
        stale = self.password_history.values_list("pk", flat=True)[keep:]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
