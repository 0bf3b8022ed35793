"""One rule for every piece of text a request brings: no control characters.

NUL and the other C0/C1 control characters (Unicode category Cc) have no
place in a case, a name or a code; PostgreSQL refuses NUL in text outright
(a 500 if it got that far), and the rest corrupt exports, logs and screens.
Tab, line feed and carriage return are allowed, for free text; in a lookup
(a code, a username) they simply match nothing and are a 400 like any
unknown value. Lone surrogates (\\ud800 in JSON) cannot be stored as UTF-8
and are refused too.

`problems()` walks parsed data (JSON, form fields, query parameters) and
returns field errors shaped like DRF's: ``{"field": ["…"]}``, nested for
nested data (``{"parties": {"1": {"name": ["…"]}}}``). The API's parsers
and the request middleware (casehub/request_limits.py) apply it to every
body and query string, so no field can forget it.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

# C0 except \t \n \r, DEL and C1; lone surrogates.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
MESSAGE = _("Control characters (such as NUL) are not allowed.")
KEY_MESSAGE = _("A field name may not contain control characters.")


def has_forbidden(text: str) -> bool:
    return FORBIDDEN.search(text) is not None


def printable_key(key) -> str:
    """A field name fit to report: its control characters escaped."""
    text = str(key)
    return FORBIDDEN.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)


def problems(data) -> dict | None:
    """Field errors for the control characters in `data` (a dict, a list, a
    QueryDict or a string), or None when it is clean. Iterative, so deep
    data cannot exhaust the stack."""
    errors: dict = {}
    # (value, path of keys from the top)
    stack: list[tuple[object, tuple[str, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if has_forbidden(value):
                _put(errors, path, str(MESSAGE))
        elif isinstance(value, dict) or hasattr(value, "getlist"):
            for key in value:
                if isinstance(key, str) and has_forbidden(key):
                    _put(errors, (*path, printable_key(key)), str(KEY_MESSAGE))
                    continue
                items = value.getlist(key) if hasattr(value, "getlist") else [value[key]]
                for item in items:
                    stack.append((item, (*path, str(key))))
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                stack.append((item, (*path, str(index))))
    return errors or None


def _put(errors: dict, path: tuple[str, ...], message: str) -> None:
    if not path:
        path = ("non_field_errors",)
    node = errors
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    node.setdefault(path[-1], [])
    if isinstance(node[path[-1]], list) and message not in node[path[-1]]:
        node[path[-1]].append(message)
