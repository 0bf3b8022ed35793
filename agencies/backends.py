from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import login_audit, login_throttle
from .loading import load_user
from .sessions import take_preloaded_user


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


class OfficerModelBackend(ModelBackend):
    """Password login for people only: a service account authenticates by
    API token, never by password or session. Repeated failures lock a
    username or an address out for a while (login_throttle.py)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        address = client_address(request)
        locked = login_throttle.locked(username, address)
        login_audit.note_attempt(locked=locked)  # the audit says why a login failed
        if locked:
            # Stops every backend: no password is even checked while locked.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_throttle.record_failure(username, address)
        # A right password does not clear the count: the login may still fail
        # at the second factor. A finished login does (services/logins.py).
        return user

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
