"""A signed-in session counts only once it passed the second factor, when
one is required (OTP_REQUIRED). Installed after AuthenticationMiddleware: a
session that did not pass it (one opened before the requirement was turned
on, say) is an anonymous visitor to every page and to the API. The answer
comes from the session data already read, so it costs no query.

It also gives request.user django-otp's `is_verified()`."""

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from . import second_factor


def checked_user(request, user):
    verified = False
    if user.is_authenticated:
        verified = second_factor.session_verified(request.session)
        if not verified and second_factor.required():
            user = AnonymousUser()
    user.is_verified = lambda: verified
    return user


class SecondFactorMiddleware:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self._is_async = iscoroutinefunction(get_response)
        if self._is_async:
            markcoroutinefunction(self)

    def _wrap(self, request):
        user, auser = getattr(request, "user", None), getattr(request, "auser", None)
        if user is not None:
            request.user = SimpleLazyObject(lambda: checked_user(request, user))
        if auser is not None:
            async def checked_auser():
                return checked_user(request, await auser())

            request.auser = checked_auser

    def __call__(self, request):
        if self._is_async:
            return self.__acall__(request)
        self._wrap(request)
        return self.get_response(request)

    async def __acall__(self, request):
        self._wrap(request)
        return await self.get_response(request)
