"""The one refusal type: why an act is not done.

Rules, services and the access module raise it; the API turns it into an
HTTP answer in one exception handler (casehub/api/exceptions.py), the web UI
into form errors, and the audit records it as a denied act with its reason.
Plain data, no database: rules/ may raise it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Kind(StrEnum):
    INVALID = "invalid"  # the input is wrong: 400 with field errors
    FORBIDDEN = "forbidden"  # the actor may see the object but not do this: 403
    NOT_FOUND = "not_found"  # the object does not exist for the actor: 404
    CONFLICT = "conflict"  # the object's state does not allow it now: 409
    THROTTLED = "throttled"  # too many attempts: 429


NON_FIELD = "non_field_errors"


def _messages(value):
    """Plain, JSON-ready messages: a field's list of messages, or for a list
    of items (the parties of a new case) one mapping of errors per item."""
    if isinstance(value, Mapping):
        return {field: _messages(messages) for field, messages in value.items()}
    if isinstance(value, (list, tuple)):
        return [_messages(m) if isinstance(m, (Mapping, list, tuple)) else str(m) for m in value]
    return [str(value)]


class Refused(Exception):
    """An act refused. `errors` maps fields to messages (for a refusal that
    is about no field, ``{"detail": [message]}``); `extra` carries what a
    client needs to recover (``allowed_actions``, ``current_version``), and
    `headers` any HTTP headers the answer must carry (an ETag)."""

    def __init__(self, errors: Mapping[str, list] | None = None, *, forbidden: bool = False,
                 conflict: bool = False, not_found: bool = False, kind: Kind | None = None,
                 extra: Mapping | None = None, headers: Mapping[str, str] | None = None):
        if kind is None:
            kind = (Kind.FORBIDDEN if forbidden else Kind.CONFLICT if conflict
                    else Kind.NOT_FOUND if not_found else Kind.INVALID)
        if not errors:
            errors = {"detail": [_("Not found.") if kind == Kind.NOT_FOUND else _("Refused.")]}
        super().__init__(dict(errors))
        self.kind = kind
        self.errors = {field: _messages(messages) for field, messages in errors.items()}
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})

    @property
    def forbidden(self) -> bool:
        return self.kind == Kind.FORBIDDEN

    @property
    def conflict(self) -> bool:
        return self.kind == Kind.CONFLICT

    @property
    def not_found(self) -> bool:
        return self.kind == Kind.NOT_FOUND

    @property
    def message(self) -> str:
        """The first message, wherever it sits."""
        value = self.errors
        while not isinstance(value, str):
            value = next((v for v in (value.values() if isinstance(value, dict) else value) if v), "")
        return value

    def audit_detail(self) -> dict:
        """What the audit log keeps of the refusal: its kind and reasons, and
        what the actor was told to recover (the actions allowed, the version)."""
        detail = {"refusal": str(self.kind), "reasons": self.errors}
        if self.extra:
            detail["extra"] = self.extra
        return detail

    @classmethod
    def invalid(cls, field: str, message, **kwargs) -> Refused:
        return cls({field: [message]}, kind=Kind.INVALID, **kwargs)

    @classmethod
    def deny(cls, message, **kwargs) -> Refused:
        return cls({"detail": [message]}, kind=Kind.FORBIDDEN, **kwargs)

    @classmethod
    def missing(cls, **kwargs) -> Refused:
        return cls(kind=Kind.NOT_FOUND, **kwargs)

    @classmethod
    def clash(cls, message, **kwargs) -> Refused:
        return cls({"detail": [message]}, kind=Kind.CONFLICT, **kwargs)


class Conflict(Refused):
    """The object changed since the caller read it (HTTP 409 naming the
    current version, which also comes back as the ETag)."""

    def __init__(self, current_version: int):
        super().__init__(
            {"detail": [_("The case was changed by someone else. Reload it and try again.")]},
            kind=Kind.CONFLICT, extra={"current_version": current_version},
            headers={"ETag": f'"{current_version}"'},
        )
        self.current_version = current_version
