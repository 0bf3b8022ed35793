"""A web form refused for its type or shape (a missing file, a note too
long) before it reached its service is a refused attempt on the object all
the same: audited as the API audits a 400 (api/input.refused_input), once,
denied, with the field errors, so the owner's auditor sees it too."""

from ..rules.refusal import Kind, Refused
from ..services import attempts


def audit_invalid_form(request, form, *, object_type: str, object_id, action: str) -> None:
    errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    try:
        attempts.refuse(attempts.on(object_type, object_id, action), Refused(errors, kind=Kind.INVALID),
                        actor=request.user, request=request)
    except Refused:
        pass  # audited; the form shows its errors
