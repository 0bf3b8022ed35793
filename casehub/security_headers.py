"""Permissions-Policy on every response (pages, the API, the admin, the API
documentation, the public disclosure pages): casehub uses no camera,
microphone, location, payment or device API, so none is granted to any page
or frame — a script that got in could not turn them on. The
Content-Security-Policy comes from Django's own middleware (SECURE_CSP)."""

from django.conf import settings


def permissions_policy(features: dict[str, list[str]]) -> str:
    """``camera=(), geolocation=(self)`` from {"camera": [], "geolocation": ["self"]}."""
    return ", ".join(f"{name}=({' '.join(allow)})" for name, allow in features.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.value = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.value and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.value
        return response
