"""Optimistic concurrency over the API: the version a client read comes back
as If-Match or `version`; a stale one is a 409 naming the current version
(the services raise `Conflict`, the exception handler answers it)."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError


def expected_version(request, *, required: bool = False) -> int | None:
    """The version the client read: If-Match ("3" or W/"3") or `version`."""
    header = request.headers.get("If-Match")
    if header:
        raw = header.strip().removeprefix("W/").strip('"')
        if not raw.isdigit():
            raise ValidationError({"If-Match": [_("Give the version from the case's ETag, e.g. \"3\".")]})
        return int(raw)
    version = request.data.get("version") if hasattr(request.data, "get") else None
    if version is None:
        if required:
            raise ValidationError({"version": [_("Send the version you read (field `version` or If-Match).")]})
        return None
    if isinstance(version, bool) or not str(version).isdigit():
        raise ValidationError({"version": [_("A valid integer is required.")]})
    return int(version)
