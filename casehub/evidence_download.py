"""The one way a stored evidence file leaves the platform over HTTP (the
API and the web UI alike): the bytes in their own accepted type, never
sniffed by the browser, always as an attachment whose name cannot break
the header, with the recorded hash and a flag when the bytes changed."""

from urllib.parse import quote

from django.http import FileResponse


def file_response(evidence, handle, intact: bool) -> FileResponse:
    response = FileResponse(handle, content_type=evidence.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(evidence.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Casehub-Sha256"] = evidence.sha256
    if not intact:
        response["X-Casehub-Integrity"] = "mismatch"
    return response
