"""What the desk lists (transfers, assistance) share: the export links of
the filters shown, and the answer — the whole page, or its rows for HTMX,
never cached (see case_list._not_cached)."""

from urllib.parse import urlencode

from django.urls import reverse

from . import rendering
from .case_list import _not_cached


def export_links(request, route: str, filters) -> dict:
    """{"export_csv": …, "export_xlsx": …}: the `route`'s export of the request's `filters`."""
    query = {n: request.GET[n] for n in filters if request.GET.get(n)}
    links = {}
    for fmt in ("csv", "xlsx"):
        url = reverse(route, args=[fmt])
        links[f"export_{fmt}"] = f"{url}?{urlencode(query)}" if query else url
    return links


def answer(request, template: str, context: dict, *, status: int = 200):
    """The desk page, or its rows partial for HTMX, never cached."""
    return _not_cached(rendering.page(request, template, context, partial="rows", status=status))
