"""Per-client rate limit for everything public: the API, the portal's pages,
the Atom feed and the CSV export share one budget per address. It counts
like every rate in casehub (casehub/rate_limits.py): in the shared cache,
per process while Redis is down."""

from functools import wraps

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from casehub.rate_limits import FixedWindowThrottle


class PublicThrottle(FixedWindowThrottle):
    scope = "public"

    def client_key(self, request, view):
        return self.get_ident(request)


def throttled(view=None, *, page: bool = False):
    """The same limit for plain Django views (pages, feeds). `page`: a
    throttled visitor gets the portal's 429 page (when to come back), not
    a line of text. As @throttled or @throttled(page=True)."""
    if view is None:
        return lambda view: throttled(view, page=page)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        throttle = PublicThrottle()
        if not throttle.allow_request(request, None):
            wait = max(1, int(throttle.wait() or 1))
            if page:
                response = render(request, "disclosure/public/too_many.html", {"wait": wait}, status=429)
            else:
                response = HttpResponse(_("Too many requests; try again later."), status=429,
                                        content_type="text/plain; charset=utf-8")
            response["Retry-After"] = str(wait)
            return response
        return view(request, *args, **kwargs)

    return wrapper
