"""How a refused act answers over HTTP (see services.errors.Refused)."""

from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response


def refusal_response(refused, *, field: str | None = None) -> Response:
    """403 or 409 with the reason, or a 400 with field errors (optionally
    reported under `field`, as for files inside a larger form)."""
    if refused.forbidden:
        raise PermissionDenied(refused.message)
    if refused.conflict:
        return Response({"detail": refused.message}, status=status.HTTP_409_CONFLICT)
    if field is not None:
        raise ValidationError({field: [m for messages in refused.errors.values() for m in messages]})
    raise ValidationError(refused.errors)
