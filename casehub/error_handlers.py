"""The project's error views (handler400/403/404/500): under /api/ every
answer is JSON, ``{"detail": "…"}``, whatever refused the request — an
unknown URL, Django's own refusals (too many fields, a multipart body past
the limit), a crash — so that an API client never has to read an HTML
page; elsewhere Django's pages, but a body too large is the same 413 page
as the request middleware's (casehub/request_limits.py)."""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from .request_limits import is_api, too_large

_JSON = {"ensure_ascii": False}


def _json(message, status: int):
    return JsonResponse({"detail": str(message)}, status=status, json_dumps_params=_JSON)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    if is_api(request):
        return _json(_("The request could not be understood."), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api(request):
        return _json(_("You do not have permission to perform this action."), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if is_api(request):
        return _json(_("Not found."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return _json(_("Server error; it has been logged."), 500)
    return defaults.server_error(request)
