"""A body too large is refused before it is read.

Django's ASGI handler reads a request's whole body (to memory, then to a
temporary file) before any middleware runs, so a 10 GB POST would fill the
disk first and be refused after. This wrapper, around the HTTP application
in casehub/asgi.py, reads nothing of a body whose Content-Length is past the
limit (`limit_for`) and hands Django an empty one;
the request middleware then answers the 413, with every header a response
carries. A body sent without a length is counted as it arrives and cut off
at the limit, flagged the same way.
"""

from __future__ import annotations

import asyncio

from django.conf import settings

FLAG = "casehub.body_too_large"


def limit_for(content_type: str) -> int | None:
    """The largest body allowed for a request of this content type."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return None
    if content_type.split(";")[0].strip().lower() == "multipart/form-data":
        return limit + settings.CASEHUB_MAX_UPLOAD_BYTES
    return limit


class BodyLimit:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        limit = limit_for(headers.get(b"content-type", b"").decode("latin-1"))
        if limit is None:
            return await self.app(scope, receive, send)
        try:
            declared = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            scope = {**scope, FLAG: True}
            return await self.app(scope, _EndedBody().receive, send)
        received = 0
        ended = _EndedBody()

        async def counted():
            nonlocal received
            if ended.sent:
                return await ended.receive()
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    scope[FLAG] = True
                    return await ended.receive()
            return message

        return await self.app(scope, counted, send)


class _EndedBody:
    """An empty last body message, then nothing: the rest of the client's
    body is never read (Django's wait for a disconnect is cancelled once the
    413 is sent)."""

    def __init__(self):
        self.sent = False

    async def receive(self):
        if not self.sent:
            self.sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()
