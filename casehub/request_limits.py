"""What every request must respect before a view sees it.

- No control character in the query string (every parameter of every page
  and API call) or in a web form's fields: a 400 naming the field
  (casehub/text_input.py). API bodies are checked by the API's parsers,
  which know JSON; here the query string, and form bodies outside /api/.
- No control character in the path: a 400 naming the path parameter
  (a credit code), or a 404 where no route takes one.
- A body declared larger than allowed is refused at once, a 413: JSON
  bodies and form fields up to DATA_UPLOAD_MAX_MEMORY_SIZE, multipart
  uploads up to MAX_UPLOAD_BYTES more (under ASGI, casehub/body_limit.py
  has not even read it).

Answers are JSON under /api/ (``{"field": ["…"]}``, as DRF's), a page
elsewhere; casehub/error_handlers.py answers Django's own refusals alike.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseNotFound, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from . import text_input
from .body_limit import FLAG as BODY_TOO_LARGE
from .body_limit import limit_for

API_PREFIX = "/api/"
_JSON = {"ensure_ascii": False}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def body_limit(request) -> int | None:
    return limit_for(request.content_type or "")


def too_large(request, limit: int | None = None):
    limit = limit if limit is not None else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    message = _("The request body is larger than %(limit)d bytes.") % {"limit": limit}
    if is_api(request):
        return JsonResponse({"detail": message}, status=413, json_dumps_params=_JSON)
    return render(request, "errors/request.html", {"title": _("Request too large"), "message": message},
                  status=413)


def field_errors(request, errors: dict, status: int = 400):
    if is_api(request):
        return JsonResponse(errors, status=status, json_dumps_params=_JSON)
    return render(request, "errors/request.html", {
        "title": _("Bad request"), "message": _("Some fields have characters that are not allowed."),
        "fields": sorted(errors)}, status=status)


def path_refusal(request):
    """A control character in the path: a 400 naming the path parameter it
    is in (a credit code), or a 404 if no route takes it."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    # The API documents DRF's `pk` as `id` (drf-spectacular's path coercion).
    names = ["id" if name == "pk" else name for name, value in (match.kwargs.items() if match else ())
             if isinstance(value, str) and text_input.has_forbidden(value)]
    if names:
        return field_errors(request, {name: [str(text_input.MESSAGE)] for name in names})
    if is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404, json_dumps_params=_JSON)
    # Not a page: the path itself would be echoed into it.
    return HttpResponseNotFound(_("Not found."), content_type="text/plain; charset=utf-8")


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if text_input.has_forbidden(request.path_info):
            return path_refusal(request)
        errors = text_input.problems(request.GET)
        if errors:
            return field_errors(request, errors)
        limit = body_limit(request)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if (limit is not None and declared > limit) or (getattr(request, "scope", None) or {}).get(BODY_TOO_LARGE):
            return too_large(request, limit)
        if not is_api(request) and request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                errors = text_input.problems(request.POST)
            except RequestDataTooBig:
                return too_large(request)
            if errors:
                return field_errors(request, errors)
        return self.get_response(request)
