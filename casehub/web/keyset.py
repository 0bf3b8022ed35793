"""Pages of a long list by a key (newest first), not by offset: each page
is one LIMIT query on an index whatever its depth, and a page does not
shift when new rows arrive (notes, audit entries)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    rows: list  # newest first
    newer: int | None  # the key to pass as ?after= for the newer page
    older: int | None  # the key to pass as ?before= for the older page


def _key(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 19 else None


def newest_first(queryset, request, *, key: str = "pk", size: int = 20) -> Page:
    """The page of `queryset` the request's ?before= or ?after= asks for
    (the newest rows when neither is given or it is not a key)."""
    before, after = _key(request.GET.get("before")), _key(request.GET.get("after"))
    if after is not None and before is None:
        rows = list(queryset.filter(**{f"{key}__gt": after}).order_by(key)[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        return Page(rows, getattr(rows[0], key) if rows and more_newer else None,
                    getattr(rows[-1], key) if rows else None)
    if before is not None:
        queryset = queryset.filter(**{f"{key}__lt": before})
    rows = list(queryset.order_by(f"-{key}")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    return Page(rows, getattr(rows[0], key) if rows and before is not None else None,
                getattr(rows[-1], key) if rows and more_older else None)
