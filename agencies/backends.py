from django.contrib.auth.backends import ModelBackend


class OfficerModelBackend(ModelBackend):
    """Password login for people only: a service account authenticates by
    API token, never by password or session."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and getattr(user, "service_agency_id", None) is None
