"""WebSocket authentication: browsers by their session (channels' auth
middleware), other systems by an API token in the Authorization header of
the handshake. A bad token leaves the socket anonymous, which consumers
refuse. The scope says which credential signed the socket in
(`credential`: (SESSION, key) or (TOKEN, id)) and until when at most
(`credential_until`), so that the consumer can look at it again when it
ends (credential_checks.py). Opening a socket is not activity of the
session: only the user's requests keep it alive."""

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import OriginValidator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from rest_framework.exceptions import AuthenticationFailed

from . import second_factor, sessions
from .authentication import ApiTokenAuthentication
from .credential_checks import SESSION, TOKEN


@database_sync_to_async
def _session_verified(scope) -> bool:
    return second_factor.session_verified(scope.get("session"))


@database_sync_to_async
def _user_for_key(key: str):
    try:
        return ApiTokenAuthentication().authenticate_key(key)
    except AuthenticationFailed:
        return AnonymousUser(), None


class TokenAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers", ()))
        header = headers.get(b"authorization", b"").split()
        if not header and b"origin" not in headers:
            scope["user"] = AnonymousUser()  # no browser, no token: a cookie alone is not enough
        elif header:
            scheme = header[0].decode(errors="replace").lower()
            valid = len(header) == 2 and scheme in ApiTokenAuthentication.keywords
            # A token that was offered decides alone: a bad one never falls
            # back to a session cookie sent alongside it.
            user, token = await _user_for_key(header[1].decode(errors="replace")) if valid else (AnonymousUser(), None)
            scope["user"] = user
            if token is not None:
                scope["credential"], scope["credential_until"] = (TOKEN, token.pk), token.expires_at
        elif second_factor.required() and not await _session_verified(scope):
            scope["user"] = AnonymousUser()  # a session that did not pass the second factor
        if "credential" not in scope and scope["user"].is_authenticated:
            session = scope["session"]
            scope["credential"], scope["credential_until"] = (SESSION, session.session_key), session.live_until
        return await super().__call__(scope, receive, send)


class PassiveSessionMiddleware(BaseMiddleware):
    """The session is read for the socket, not by the user: it does not
    move the session's idle deadline."""

    async def __call__(self, scope, receive, send):
        sessions.set_passive()  # this connection's task (and its database threads) only
        return await super().__call__(scope, receive, send)


class BrowserOriginValidator(OriginValidator):
    """A browser always sends Origin, and it must be one of our hosts (no
    cross-site socket hijacking with a user's cookie). A client without
    Origin is no browser; it must authenticate by token."""

    def valid_origin(self, parsed_origin):
        return parsed_origin is None or super().valid_origin(parsed_origin)


def socket_stack(inner):
    from channels.auth import AuthMiddlewareStack

    hosts = settings.ALLOWED_HOSTS
    if settings.DEBUG and not hosts:  # as Django allows in development
        hosts = ["localhost", "127.0.0.1", "[::1]"]
    return PassiveSessionMiddleware(BrowserOriginValidator(AuthMiddlewareStack(TokenAuthMiddleware(inner)), hosts))
