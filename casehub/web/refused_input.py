"""A web form refused for its shape (a missing file, a note too long) on
an existing object: audited as a denied attempt on it, as the API's
casehub/api/input.py does for a 400, so the owner's auditor sees it too."""

from ..rules.refusal import Kind, Refused
from ..services import attempts


def audit_refused_form(request, form, *, object_type: str, object_id, action: str) -> None:
    errors = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
    try:
        attempts.refuse(attempts.on(object_type, object_id, action), Refused(errors, kind=Kind.INVALID),
                        actor=request.user, request=request)
    except Refused:
        pass  # audited; the form shows the errors
