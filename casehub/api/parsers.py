"""The API's request parsers: every body is checked the same way.

- a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 (JSON), read no
  further; multipart counts its fields, not its files (MAX_UPLOAD_BYTES
  limits those);
- JSON nested deeper than API_JSON_MAX_DEPTH is a 400 (Python's own parser
  would recurse until it crashed); JSON goes through orjson, which also
  refuses NaN, Infinity and lone surrogates;
- a control character anywhere, in a value or a field name, is a 400 naming
  the field (casehub/text_input.py): one check for JSON, form and multipart
  bodies, so no serializer field can forget it;
- multipart file names that try a path (``../../etc/x.pdf``) are recorded on
  the parsed files (``files.suspicious_names``) for the view to refuse:
  Django would silently keep only the last component.
"""

import codecs
import html

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import QueryDict
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import APIException, ParseError, ValidationError
from rest_framework.parsers import DataAndFiles, get_encoding

from .. import text_input


class PayloadTooLarge(APIException):
    status_code = 413
    default_code = "payload_too_large"

    def __init__(self):
        super().__init__(_("The request body is larger than %(limit)d bytes.") % {
            "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE})


def max_json_depth() -> int:
    return getattr(settings, "API_JSON_MAX_DEPTH", 64)


def _read_body(stream, parser_context) -> bytes:
    """The body, or a 413 once it passes the limit (by its Content-Length,
    or by what arrives when the length was not told)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    request = parser_context.get("request")
    if limit is not None and request is not None:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise PayloadTooLarge()
    if stream is None:
        return b""
    try:
        body = stream.read() if limit is None else stream.read(limit + 1)
    except RequestDataTooBig:
        raise PayloadTooLarge() from None
    if limit is not None and len(body) > limit:
        raise PayloadTooLarge()
    return body


def _depth_exceeds(data, limit: int) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def check_text(data) -> None:
    errors = text_input.problems(data)
    if errors:
        raise ValidationError(errors)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = get_encoding(parser_context)
        body = _read_body(stream, parser_context)
        if codecs.lookup(encoding).name != "utf-8":
            try:
                body = body.decode(encoding).encode("utf-8", "surrogatepass")
            except UnicodeError as exc:
                raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            if "depth limit" in str(exc):
                raise ParseError(_("The JSON is nested deeper than %(depth)d levels.") % {
                    "depth": max_json_depth()}) from None
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        if _depth_exceeds(data, max_json_depth()):
            raise ParseError(_("The JSON is nested deeper than %(depth)d levels.") % {"depth": max_json_depth()})
        check_text(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = get_encoding(parser_context)
        data = QueryDict(_read_body(stream, parser_context), encoding=encoding)
        check_text(data)
        return data


class _RecordingParser(DjangoMultiPartParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suspicious_names: list[str] = []

    def sanitize_file_name(self, file_name):
        raw = html.unescape(file_name)
        if "/" in raw or "\\" in raw or raw.strip() in {".", ".."}:
            self.suspicious_names.append(raw)
        return super().sanitize_file_name(file_name)


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context["request"]
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        try:
            parser = _RecordingParser(meta, stream, request.upload_handlers,
                                      parser_context.get("encoding", settings.DEFAULT_CHARSET))
            data, files = parser.parse()
        except RequestDataTooBig:
            raise PayloadTooLarge() from None
        except MultiPartParserError as exc:
            raise ParseError(f"Multipart form parse error - {exc}")
        errors = text_input.problems(data) or {}
        for field, uploaded in files.lists():
            if any(text_input.has_forbidden(f.name or "") for f in uploaded):
                errors.setdefault(field, []).append(str(text_input.MESSAGE))
        if errors:
            raise ValidationError(errors)
        files.suspicious_names = parser.suspicious_names
        return DataAndFiles(data, files)


# The name the evidence views know it by.
StrictMultiPartParser = MultiPartParser
