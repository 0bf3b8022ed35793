from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordHistory(models.Model):
    """A password a user had before (its hash only), so that none of the last
    PASSWORD_HISTORY passwords is chosen again (GB/T 22239-2019 8.1.4.1 a).
    Rows are written when a password is replaced (User.save) and pruned to
    what the policy needs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(_("password"), max_length=128)
    replaced_at = models.DateTimeField(_("replaced"), auto_now_add=True)

    class Meta:
        ordering = ["-replaced_at", "-id"]
        verbose_name = _("former password")
        verbose_name_plural = _("former passwords")
        indexes = [models.Index(fields=["user", "-replaced_at"], name="password_history_user")]

    def __str__(self):
        return f"{self.user_id} · {self.replaced_at:%Y-%m-%d}"
