from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Agencies and officers")

    def ready(self):
        from casehub.events import periodic

        from . import credentials  # noqa: F401  (sends credentials_ended)
        from . import sessions  # (stamps the time of sign-in)
        from . import checks, login_audit, signals  # noqa: F401  (deploy check; the audit of logins; the group sync)
        from .api import schema  # noqa: F401  (registers the OpenAPI auth scheme)

        # Ended sessions' rows (with their data) do not stay in the table.
        periodic.register("expired_sessions", sessions.SessionStore.clear_expired)
