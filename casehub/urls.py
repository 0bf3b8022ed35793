from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from agencies.web.login import LoginView


def favicon(request):
    # Resolved per request: with hashed static names the manifest exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("casehub/favicon.svg"))


api_v1 = [
    path("", include("agencies.api.urls")),
    path("", include("casehub.api.urls")),
    path("", include("search.urls")),
    path("", include("notifications.urls")),
    path("", include("disclosure.urls")),
]

urlpatterns = [
    # The web UI (casehub/web/): the workbench at /, cases, search, my account.
    path("", include("casehub.web.urls")),
    path("notifications/", include("notifications.web_urls")),
    path("public/disclosures/", include("disclosure.web_urls")),
    path("accounts/", include("agencies.web.urls")),
    # Browsers ask for /favicon.ico whatever the page links; the icon is a static file.
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    # The browsable API's login link leads to the site's login (the second
    # factor included), never to a password-only form of its own.
    path("api-auth/login/", LoginView.as_view(), name="api-auth-login"),
    path("api-auth/", include("rest_framework.urls")),
]

# JSON under /api/ for whatever refuses a request there (casehub/error_handlers.py).
handler400 = "casehub.error_handlers.bad_request"
handler403 = "casehub.error_handlers.permission_denied"
handler404 = "casehub.error_handlers.page_not_found"
handler500 = "casehub.error_handlers.server_error"
