"""Reading a request's input: type and shape only (serializers); every rule
beyond that is the services'.

Input refused for its shape on an existing object's endpoint is a refused
attempt on that object, audited as such (denied, refusal "invalid", with
the field errors) through `refused_input`, the one place that does it:

    with refused_input(request, "case", pk, "case.update"):
        data = validated(CaseWriteSerializer, request, partial=True)

Input refused on a creating endpoint (POST /cases/) names no object and is
not audited; the service audits every refusal after it (an agency the
actor may not open cases for, handlers who are strangers, …).
"""

from collections.abc import Callable
from contextlib import contextmanager

from rest_framework.exceptions import ParseError, ValidationError

from ..rules.refusal import Kind, Refused
from ..services import attempts


def validated(serializer_class, request, *, data=None, **kwargs) -> dict:
    """The request's data, checked by `serializer_class` (a 400 with field
    errors otherwise)."""
    serializer = serializer_class(data=request.data if data is None else data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@contextmanager
def refused_input(request, object_type: str, object_id, action: str | Callable[[], str]):
    """Audit a 400 raised for the input's type or shape inside the block as
    a denied `action` on the object, then answer it as usual. `action` may
    be a function of the request (a transition is named by its `action`)."""
    try:
        yield
    except (ValidationError, ParseError) as error:
        name = action() if callable(action) else action
        detail = error.detail if isinstance(error.detail, dict) else {"detail": error.detail}
        try:
            attempts.refuse(attempts.on(object_type, object_id, name), Refused(detail, kind=Kind.INVALID),
                            actor=request.user, request=request)
        except Refused:
            pass  # audited; DRF answers the original error as ever
        raise


def raw_field(request, name: str) -> str | None:
    """A text field of the request body before it is validated (None if the
    body is not a mapping, does not parse, or the field is not text)."""
    try:
        data = request.data
    except ParseError:
        return None
    value = data.get(name) if hasattr(data, "get") else None
    return value if isinstance(value, str) else None
