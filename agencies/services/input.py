"""Reading a request's input inside an act: a DRF serializer parses it, and
its field errors become the one refusal type (casehub/rules/refusal.py), so
that an invalid attempt is refused, and audited, like any other."""

from __future__ import annotations

from collections.abc import Mapping

from casehub.rules.refusal import Kind, Refused

_MESSAGES_KEPT = 20  # per field, in the audit entry and the answer
# Control characters (NUL above all: PostgreSQL's jsonb cannot hold it) are
# not kept in what the audit log records of the input.
_CONTROL = dict.fromkeys([*range(0x20), 0x7F], " ")


def clean(value, limit: int = 200) -> str:
    """Input as the audit log may keep it: text, no control characters,
    at most `limit` characters."""
    return str(value).translate(_CONTROL)[:limit]


def _plain(errors):
    """DRF's errors (ErrorDetail strings, nested dicts and lists for nested
    and list fields) as plain JSON, the shape DRF would have answered."""
    if isinstance(errors, Mapping):
        return {str(key): _plain(value) for key, value in errors.items()}
    if isinstance(errors, (list, tuple)):
        return [_plain(value) for value in errors][:_MESSAGES_KEPT]
    return clean(errors, 500)


def _messages(value) -> list[str]:
    if isinstance(value, Mapping):
        return [m for v in value.values() for m in _messages(v)]
    if isinstance(value, (list, tuple)):
        return [m for v in value for m in _messages(v)]
    return [str(value)]


def refusal_from(errors) -> Refused:
    """A 400 refusal carrying a serializer's errors in DRF's own shape."""
    errors = _plain(errors if isinstance(errors, Mapping) else {"non_field_errors": errors})
    refused = Refused({field: _messages(value)[:_MESSAGES_KEPT] for field, value in errors.items()},
                      kind=Kind.INVALID)
    refused.errors = errors  # nested list/dict errors keep their shape in the answer
    return refused


def validated(serializer) -> dict:
    """The serializer's validated data, or Refused with its field errors."""
    if not serializer.is_valid():
        raise refusal_from(serializer.errors)
    return dict(serializer.validated_data)


def raw(serializer) -> Mapping:
    """The input as sent, when it is a mapping (a list or a string body is
    left to the serializer to refuse)."""
    data = getattr(serializer, "initial_data", None)
    return data if isinstance(data, Mapping) else {}


def pk_of(value) -> int | None:
    """A primary key given in the input, if it looks like one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value) or None
    return None
