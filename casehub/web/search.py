"""/search/ — full-text search over the cases the user's agencies may see:
the same service, backend and permission filter as /api/v1/search/cases/.
The query box with a short help of the query language, facets as filters
(links that add or remove a filter in the URL), highlights, pages. HTMX
swaps the search region and pushes the URL, so a search is bookmarkable
and the back button works."""

from math import ceil

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.translation import gettext as _

from search.service import FILTERS, Unavailable, facet_names, search_cases

from ..rules.refusal import Refused
from ..templatetags.casehub_search import plain_text
from . import search_facets
from .refusals import flatten
from .rendering import page

MAX_PAGE = 500  # the service's own limit (SearchParams.page)


def _asked(params) -> bool:
    """Anything to search for: words, a filter, or a page of all."""
    return bool(params.get("q", "").strip()) or any(params.getlist(n) for n in (*FILTERS, "sort", "page"))


def _hits(results: list[dict]) -> list[dict]:
    """Each hit with its highlights as labelled snippets; a title whose
    highlight is the whole title is shown highlighted in place instead."""
    labels = {"facts": _("Facts"), "party_names": _("Parties"), "decision": _("Decision"), "notes": _("Notes"),
              "file_names": _("File names"), "file_text": _("File text")}
    hits = []
    for hit in results:
        highlights = hit.get("highlights") or {}
        title = next((f for f in highlights.get("title", ()) if plain_text(f) == hit["title"]), None)
        hits.append({**hit, "title_highlight": title,
                     "snippets": [{"label": labels[field], "fragments": fragments}
                                  for field, fragments in highlights.items() if field in labels and fragments]})
    return hits


def _pages(params, found: dict) -> dict | None:
    last = min(MAX_PAGE, max(1, ceil(found["count"] / found["page_size"])))
    current = found["page"]
    if last <= 1 and current <= 1:
        return None
    return {"current": current, "last": last,
            "previous": search_facets.page_url(params, current - 1) if current > 1 else None,
            "next": search_facets.page_url(params, current + 1) if current < last else None}


@login_required
def search_page(request):
    params = request.GET
    context = {"q": params.get("q", ""), "sort": params.get("sort", "relevance"), "asked": _asked(params),
               "errors": {}, "general_errors": [], "unavailable": False, "found": None,
               "crumbs": [{"label": _("Full-text search"), "url": ""}],
               "kept": [(n, v) for n in FILTERS for v in params.getlist(n) if v],
               "browse_all": "?sort=recent"}
    if context["asked"]:
        try:
            found = search_cases(actor=request.user, query_params=params, request=request)
        except Refused as refusal:
            context["errors"] = {k: v for k, v in refusal.errors.items() if k == "q"}
            context["general_errors"] = [m for k, v in refusal.errors.items() if k != "q" for m in flatten(v)]
        except Unavailable:
            context["unavailable"] = True
        else:
            names = facet_names(found["facets"])
            context.update(
                found=found, hits=_hits(found["results"]), pages=_pages(params, found),
                facets=search_facets.facets(params, found["facets"], names),
                chips=search_facets.chips(params, names),
                clear_url=search_facets.without(params, *FILTERS),
            )
    return page(request, "casehub/search/search.html", context, partial="search")


urlpatterns = [path("search/", search_page, name="search")]
