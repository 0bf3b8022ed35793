"""The error answers every operation can really give, in the OpenAPI schema.

A view documents its successes; the refusals come from layers every view
shares, so they are added here, once, from what the operation is:

- 400: it takes query parameters, a body or anything in its path (bad input,
  a field per error; a path with control characters is refused before any
  route is matched, casehub/request_limits.py);
- 401 and 403: it needs a signed-in caller (no or a bad credential; not
  allowed, or a CSRF failure with a session);
- 404: it has path parameters (nothing there, or nothing you may see) or
  pages (a page past the end);
- 409: it changes something (a stale version, a state that does not allow
  it);
- 413 and 415: it takes a body (too large; a media type it does not read);
- 429: always — every door is rate limited (the per-user API rate, the
  public doors' per-address rate).

drf-spectacular runs `add_error_responses` as a postprocessing hook
(SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).
"""

from __future__ import annotations

ERROR = {
    "type": "object",
    "description": "Why the request was refused.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Bad input: the messages for each field, keyed by its name and, inside lists and nested "
                   "objects, by index and name (`{\"parties\": {\"0\": {\"name\": [\"…\"]}}}`); a body that "
                   "cannot be read at all has `detail` instead.",
    "additionalProperties": {},
}
CONFLICT = {
    "type": "object",
    "description": "The state does not allow this now: a stale version (`current_version`), or an action the "
                   "status does not allow (`status`, `allowed_actions`).",
    "properties": {
        "detail": {"type": "string"},
        "current_version": {"type": "integer"},
        "status": {"type": "string"},
        "allowed_actions": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["detail"],
}
COMPONENTS = {"Error": ERROR, "FieldErrors": FIELD_ERRORS, "Conflict": CONFLICT}

DESCRIPTIONS = {
    "400": ("FieldErrors", "Bad input; nothing was stored."),
    "401": ("Error", "No valid credential (a token or a session)."),
    "403": ("Error", "Not allowed for you."),
    "404": ("Error", "Not found, or not visible to you."),
    "409": ("Conflict", "The current state does not allow it."),
    "413": ("Error", "The request body is too large."),
    "415": ("Error", "A media type this operation does not read."),
    "429": ("Error", "Too many requests; see Retry-After."),
}
WRITES = {"post", "put", "patch", "delete"}
PAGING = {"page", "cursor"}


def _needs_login(operation: dict, default_security: list | None) -> bool:
    security = operation.get("security", default_security)
    return bool(security) and {} not in security


def error_codes(method: str, operation: dict, default_security: list | None = None) -> list[str]:
    parameters = operation.get("parameters", [])
    query = {p["name"] for p in parameters if p.get("in") == "query"}
    in_path = [p for p in parameters if p.get("in") == "path"]
    body = "requestBody" in operation
    codes = ["429"]
    if query or body or in_path:
        codes.append("400")
    if _needs_login(operation, default_security):
        codes += ["401", "403"]
    if in_path or query & PAGING:
        codes.append("404")
    if method in WRITES:
        codes.append("409")
    if body:
        codes += ["413", "415"]
    return sorted(codes)


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code in error_codes(method, operation, result.get("security")):
                if code in responses:
                    continue
                component, description = DESCRIPTIONS[code]
                responses[code] = {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
                }
    return result
