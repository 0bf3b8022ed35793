from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasehubConfig(AppConfig):
    name = "casehub"
    verbose_name = _("Cases")

    def ready(self):
        from .audit_checkpoints import periodic_checkpoint
        from .events import periodic
        from .services.deadline_alerts import raise_alerts

        periodic.register("deadline_alerts", raise_alerts)
        # Signs the audit chain's head: entries older than this can no longer vanish unseen.
        periodic.register("audit_checkpoint", periodic_checkpoint)
