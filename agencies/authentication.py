"""API token authentication: ``Authorization: Bearer <key>`` (``Token <key>``
is accepted too). Revoked, expired and unknown tokens are a 401."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import second_factor
from .loading import load_token
from .models import ApiToken
from .models.token import TOKEN_PREFIX_LENGTH, hash_token_key


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: give the scheme and the key, nothing else."))
        try:
            key = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token header: the key has invalid characters."))
        return self.authenticate_key(key)

    def authenticate_key(self, key: str):
        # The token, its user and the user's memberships in one statement.
        token, service_agency_active = load_token(key[:TOKEN_PREFIX_LENGTH], hash_token_key(key))
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is disabled."))
        if user.service_agency_id is not None and not service_agency_active:
            raise exceptions.AuthenticationFailed(_("This service account's agency is no longer active."))
        self._touch(token)
        return user, token

    @staticmethod
    def _touch(token: ApiToken) -> None:
        now = timezone.now()
        resolution = timedelta(seconds=settings.API_TOKEN_LAST_USED_RESOLUTION_SECONDS)
        if token.last_used_at is None or now - token.last_used_at >= resolution:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now

    def authenticate_header(self, request):
        # A WWW-Authenticate header makes DRF answer 401 rather than 403.
        return 'Bearer realm="api"'


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The web UI's own requests, by its session (with the CSRF check); a
    session counts only once it passed the second factor, when one is
    required. Passwords are never taken here: the API accepts tokens, and
    sessions opened by the login pages."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and not second_factor.session_counts(request._request.session):
            return None
        return result


def by_verified_session(request) -> bool:
    """The DRF request came from a browser session that passed the second
    factor (not a token, nor a session when none was required). A plain
    Django request (the web UI's pages) is a browser session by nature."""
    if not hasattr(request, "successful_authenticator"):
        session = getattr(request, "session", None)
        return getattr(request, "user", None) is not None and request.user.is_authenticated and \
            second_factor.session_verified(session)
    return (isinstance(request.successful_authenticator, VerifiedSessionAuthentication)
            and second_factor.session_verified(request._request.session))
