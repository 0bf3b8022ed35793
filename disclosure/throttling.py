"""Per-client rate limit for everything public: the API, the record pages,
the Atom feed and the CSV export share one budget per address. It counts
like every rate in casehub (casehub/rate_limits.py): in the shared cache,
per process while Redis is down."""

from functools import wraps

from django.http import HttpResponse
from django.utils.translation import gettext as _

from casehub.rate_limits import FixedWindowThrottle


class PublicThrottle(FixedWindowThrottle):
    scope = "public"

    def client_key(self, request, view):
        return self.get_ident(request)


def throttled(view):
    """The same limit for plain Django views (pages, feeds)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        throttle = PublicThrottle()
        if not throttle.allow_request(request, None):
            response = HttpResponse(_("Too many requests; try again later."), status=429,
                                    content_type="text/plain; charset=utf-8")
            response["Retry-After"] = str(max(1, int(throttle.wait() or 1)))
            return response
        return view(request, *args, **kwargs)

    return wrapper
