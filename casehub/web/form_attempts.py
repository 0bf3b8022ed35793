"""A web form refused for its type or shape (a missing file, a note too
long) before it reached its service is a refused attempt on the object all
the same: audited as the API audits a 400 (api/input.refused_input), once,
denied, with the field errors, so the owner's auditor sees it too."""

from ..rules.refusal import Kind, Refused
from ..services import attempts
from . import refusals


def audit_invalid_form(request, form, *, object_type: str, object_id, action: str) -> None:
    errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    try:
        attempts.refuse(attempts.on(object_type, object_id, action), Refused(errors, kind=Kind.INVALID),
                        actor=request.user, request=request)
    except Refused:
        pass  # audited; the form shows its errors


def submit(request, form, service_call, *, case, action: str):
    """A posted form on a case given to its service: what service_call(the
    cleaned data) returns, or None when refused, for its shape (audited here
    as the attempt) or by the service (its refusal put at the fields)."""
    if not form.is_valid():
        audit_invalid_form(request, form, object_type="case", object_id=case.pk, action=action)
        return None
    try:
        return service_call(form.cleaned_data)
    except Refused as refusal:
        refusals.to_form(form, refusal)
        return None
