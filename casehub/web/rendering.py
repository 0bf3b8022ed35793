"""One view, a full page or a fragment (as NetBox's utilities/htmx.py): an
HTMX request that targets part of a page gets that template partial only;
everything else gets the whole page. The view names the partial once."""

from django.shortcuts import render


def page(request, template: str, context: dict, *, partial: str | None = None, status: int = 200):
    """Render `template`, or `template#partial` when HTMX asks for part of
    the page (and did not ask for the whole body via hx-boost, nor for a
    page to restore from history: the back button after hx-push-url)."""
    htmx = getattr(request, "htmx", None)
    if partial and htmx and not htmx.boosted and not htmx.history_restore_request:
        template = f"{template}#{partial}"
    return render(request, template, context, status=status)
