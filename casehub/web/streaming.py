"""A response streamed chunk by chunk under either server: Django buffers a
synchronous iterator whole under ASGI (and an asynchronous one under WSGI),
so the chunks are handed over in the kind the request's server consumes.
Each chunk is produced in the request's thread (database access included)."""

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import StreamingHttpResponse

_DONE = object()


def streamed(request, chunks, **kwargs) -> StreamingHttpResponse:
    if isinstance(request, ASGIRequest):
        return StreamingHttpResponse(_async(iter(chunks)), **kwargs)
    return StreamingHttpResponse(chunks, **kwargs)


async def _async(chunks):
    step = sync_to_async(lambda: next(chunks, _DONE), thread_sensitive=True)
    while (chunk := await step()) is not _DONE:
        yield chunk
