"""The one place a refusal becomes an HTTP answer.

Services raise `Refused` (casehub/rules/refusal.py); this handler, named in
REST_FRAMEWORK["EXCEPTION_HANDLER"], answers 400 with field errors, 403,
404, 409 (with what the client needs to recover: allowed actions, the
current version) or 429. Views carry no try/except ladders of their own.
"""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..rules.refusal import Kind, Refused

STATUS = {
    Kind.INVALID: status.HTTP_400_BAD_REQUEST,
    Kind.FORBIDDEN: status.HTTP_403_FORBIDDEN,
    Kind.NOT_FOUND: status.HTTP_404_NOT_FOUND,
    Kind.CONFLICT: status.HTTP_409_CONFLICT,
    Kind.THROTTLED: status.HTTP_429_TOO_MANY_REQUESTS,
}


def refusal_body(refused: Refused) -> dict:
    if refused.kind == Kind.INVALID:
        return refused.errors
    return {"detail": refused.message, **refused.extra}


def exception_handler(exc, context):
    if isinstance(exc, Refused):
        return Response(refusal_body(exc), status=STATUS[exc.kind], headers=exc.headers)
    return drf_exception_handler(exc, context)

