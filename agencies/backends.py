from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend

from .loading import load_user
from .sessions import take_preloaded_user


class OfficerModelBackend(ModelBackend):
    """Password login for people only: a service account authenticates by
    API token, never by password or session."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and getattr(user, "service_agency_id", None) is None

    def get_user(self, user_id):
        # The session's user, with the memberships every request asks about:
        # read with the session row when the session store could (sessions.py),
        # else in one statement of its own.
        user = take_preloaded_user(user_id) or load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)
