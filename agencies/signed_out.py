"""Telling a user why they were signed out.

A request whose session cookie no longer signs anyone in (idle, past its
absolute lifetime, ended elsewhere) loses the cookie — Django's session
middleware deletes it — and is usually redirected to the sign-in page. So
that the page can say why, the response carries a short-lived cookie with
the reason; the sign-in page shows it once and drops it.
"""

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .sessions import ABSOLUTE, ENDED, IDLE

COOKIE = "casehub_signed_out"
COOKIE_AGE = 10 * 60


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request, response):
        reason = getattr(getattr(request, "session", None), "ended_reason", None)
        response = super().process_response(request, response)
        if reason in (IDLE, ABSOLUTE, ENDED) and not getattr(response, "signed_out_notice_shown", False):
            response.set_cookie(COOKIE, reason, max_age=COOKIE_AGE, path=settings.SESSION_COOKIE_PATH,
                                secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
        return response


def reason(request) -> str | None:
    """Why this browser was signed out lately, if it was."""
    if request.user.is_authenticated:
        return None
    found = getattr(request.session, "ended_reason", None) or request.COOKIES.get(COOKIE)
    return found if found in (IDLE, ABSOLUTE, ENDED) else None


def message(why: str) -> str:
    if why == IDLE:
        minutes = max(1, round(settings.SESSION_IDLE_TIMEOUT / 60))
        return ngettext(
            "You were signed out after %(minutes)d minute without activity. Please sign in again.",
            "You were signed out after %(minutes)d minutes without activity. Please sign in again.",
            minutes,
        ) % {"minutes": minutes}
    if why == ABSOLUTE:
        hours = max(1, round(settings.SESSION_ABSOLUTE_LIFETIME / 3600))
        return ngettext(
            "Your session reached its limit of %(hours)d hour. Please sign in again.",
            "Your session reached its limit of %(hours)d hours. Please sign in again.",
            hours,
        ) % {"hours": hours}
    return str(ENDED_MESSAGE)


ENDED_MESSAGE = _("Your session has ended. Please sign in again.")


def shown(response) -> None:
    """The sign-in page told the user: drop the notice."""
    response.delete_cookie(COOKIE, path=settings.SESSION_COOKIE_PATH, samesite="Lax")
    response.signed_out_notice_shown = True
