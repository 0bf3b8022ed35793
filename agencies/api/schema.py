"""OpenAPI description of casehub's token authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "agencies.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "API token: `Authorization: Bearer <key>`. Create one at /api/v1/me/tokens/.",
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "agencies.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        from django.conf import settings

        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "The web UI's session, from /accounts/login/ (password, then the second factor where "
                           "required). Other clients use an API token.",
        }
