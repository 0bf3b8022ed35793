"""WebSocket authentication: browsers by their session (channels' auth
middleware), other systems by an API token in the Authorization header of
the handshake. A bad token leaves the socket anonymous, which consumers
refuse."""

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import OriginValidator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from rest_framework.exceptions import AuthenticationFailed

from . import second_factor
from .authentication import ApiTokenAuthentication


@database_sync_to_async
def _session_verified(scope) -> bool:
    return second_factor.session_verified(scope.get("session"))


@database_sync_to_async
def _user_for_key(key: str):
    try:
        user, _token = ApiTokenAuthentication().authenticate_key(key)
    except AuthenticationFailed:
        return AnonymousUser()
    return user


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
            scope["user"] = await _user_for_key(header[1].decode(errors="replace")) if valid else AnonymousUser()
        elif second_factor.required() and not await _session_verified(scope):
            scope["user"] = AnonymousUser()  # a session that did not pass the second factor
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
    return BrowserOriginValidator(AuthMiddlewareStack(TokenAuthMiddleware(inner)), hosts)
