"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casehub.settings")
# Django must be set up before anything imports models.
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from agencies.socket_auth import socket_stack  # noqa: E402

from casehub.body_limit import BodyLimit  # noqa: E402
from casehub.websocket_routes import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": BodyLimit(django_asgi_app),  # a body too large is refused unread
        "websocket": socket_stack(URLRouter(websocket_urlpatterns)),
    }
)
