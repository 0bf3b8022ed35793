"""Multipart parsing that remembers suspicious file names.

Django keeps only the last path component of an uploaded file's name, so
``../../etc/x.pdf`` would silently become ``x.pdf``. An upload that tries a
path is refused instead: this parser records such names on the parsed files
(``files.suspicious_names``) for the view to reject.
"""

import html

from django.conf import settings
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from rest_framework.exceptions import ParseError
from rest_framework.parsers import DataAndFiles, MultiPartParser


class _RecordingParser(DjangoMultiPartParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suspicious_names: list[str] = []

    def sanitize_file_name(self, file_name):
        raw = html.unescape(file_name)
        if "/" in raw or "\\" in raw or raw.strip() in {".", ".."}:
            self.suspicious_names.append(raw)
        return super().sanitize_file_name(file_name)


class StrictMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context["request"]
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        try:
            parser = _RecordingParser(meta, stream, request.upload_handlers,
                                      parser_context.get("encoding", settings.DEFAULT_CHARSET))
            data, files = parser.parse()
        except MultiPartParserError as exc:
            raise ParseError(f"Multipart form parse error - {exc}")
        files.suspicious_names = parser.suspicious_names
        return DataAndFiles(data, files)
