"""/cases/ — the case list: the listing's filters as a form, newest first or
by next deadline, cursor pages. The rows are the listing's (casehub/listing/,
the same statement and scopes as the API's list); an HTMX request gets the
rows only, and the URL keeps the filters (bookmarkable; the back button
gets the whole page: see `_not_cached`)."""

from django.contrib.auth.decorators import login_required
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext_lazy as _

from .. import access, listing
from ..calendar import working_calendar
from ..listing.parameters import FILTERS
from ..rules.refusal import Refused
from . import case_filter_bar, case_table, rendering
from .case_filters import CaseFilterForm, region_choices
from .case_rows import with_labels

TEMPLATE = "casehub/cases/list.html"
# The filter bar's rows of fields (after the statuses): the first always
# shown, the others under "more filters" — the deadline's, then the date
# ranges, each range's two ends side by side.
FIRST = ("party", "mine", "ip_type", "kind", "order")
MORE = ("campaign", "region", "overdue", "due_before")
RANGE_FIELDS = tuple(f"{n}_{s}" for n in listing.RANGES for s in ("after", "before"))


@login_required
def case_list(request):
    return list_response(request)


def list_response(request, *, status: int = 200):
    """The list page (or its rows, to HTMX) for the request's filters; bad
    filters show at the fields of the form, with no rows."""
    form = CaseFilterForm(request.GET, regions=region_choices)
    try:
        values = listing.parse(request.GET)
    except Refused as refused:
        form.show(refused)
        values, page = {}, listing.Page([], False, False)
    else:
        page = listing.fetch_page(request.user, values)
    build = listing.RowBuilder(working_calendar())
    rows = [with_labels(build(r)) for r in page.rows]
    next_cursor, previous_cursor, back_to_start = listing.page_cursors(values, page)
    filters = request.GET.copy()
    for name in ("cursor", "page_size"):
        filters.pop(name, None)
    context = {
        "form": form,
        "filter_fields": _Drawn(lambda: case_filter_bar.draw(form, (FIRST, MORE, RANGE_FIELDS), more_open=(
            bool(form.errors) or any(request.GET.get(name) for name in (*MORE, *RANGE_FIELDS))))),
        "oob_errors": _Drawn(lambda: case_filter_bar.oob_errors(form)),
        "rows": rows,
        "table_head": case_table.head(),
        "table_body": case_table.body(rows),
        "next_url": _with_cursor(request, next_cursor) if next_cursor else None,
        "previous_url": _with_cursor(request, previous_cursor) if previous_cursor else
        (_with_cursor(request, None) if back_to_start else None),
        "filtered": any(request.GET.get(name) for name in FILTERS),
        "export_csv": export_url("csv", filters),
        "export_xlsx": export_url("xlsx", filters),
        "can_open_cases": bool(access.case_opening_agency_ids(request.user)),
        "crumbs": [{"label": _("Workbench"), "url": reverse("web:workbench")}, {"label": _("Case list"), "url": ""}],
    }
    response = rendering.page(request, TEMPLATE, context, partial="rows", status=status)
    return _not_cached(response)


class _Drawn:
    """HTML drawn when the template shows it (the rows alone, to HTMX,
    show no filter bar; the whole page no out-of-band errors)."""

    def __init__(self, draw):
        self._draw = draw

    def __html__(self):
        return self._draw()

    def __str__(self):
        return self._draw()


def export_url(fmt: str, filters) -> str:
    """The export of the list for these filters (a QueryDict, no cursor)."""
    query = filters.urlencode()
    return f"{reverse('web:case-export', args=[fmt])}{'?' + query if query else ''}"


def _with_cursor(request, cursor: str | None) -> str:
    query = request.GET.copy()
    query.pop("cursor", None)
    if cursor:
        query["cursor"] = cursor
    return f"{reverse('web:case-list')}?{query.urlencode()}" if query else reverse("web:case-list")


def _not_cached(response):
    # One URL answers a whole page or, to HTMX, the rows only: a cache (the
    # browser's back button) must neither mix the two nor keep either.
    patch_vary_headers(response, ["HX-Request"])
    add_never_cache_headers(response)
    return response


urlpatterns = [path("cases/", case_list, name="case-list")]
