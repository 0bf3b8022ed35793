"""The frame every page shares (a context processor): the navigation, the
user's agencies and the one they work as, the unread count for the bell.
Anonymous visitors and the API cost nothing here."""

from .agency import agencies_of, current_agency_id
from .navigation import navigation


def frame(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.path.startswith("/api/"):
        return {}
    return {"frame": _Lazy(request)}


class _Lazy:
    """Computed when a template first asks (error pages and redirects never
    do), then kept for the request."""

    def __init__(self, request):
        self._request, self._cache = request, {}

    def _get(self, name, compute):
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    @property
    def nav(self):
        return self._get("nav", lambda: navigation(self._request.user, self._request.path))

    @property
    def agencies(self):
        return self._get("agencies", lambda: agencies_of(self._request.user))

    @property
    def agency(self):
        def compute():
            current = current_agency_id(self._request)
            return next((a for a in self.agencies if a.pk == current), None)

        return self._get("agency", compute)

    @property
    def unread(self):
        from notifications.inbox import unread_count

        return self._get("unread", lambda: unread_count(self._request.user))
