from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from agencies.login import LoginView
from casehub.web.views import home

api_v1 = [
    path("", include("agencies.api.urls")),
    path("", include("casehub.api.urls")),
    path("", include("search.urls")),
    path("", include("notifications.urls")),
    path("", include("disclosure.urls")),
]

urlpatterns = [
    path("", home, name="home"),
    path("notifications/", include("notifications.web_urls")),
    path("public/disclosures/", include("disclosure.web_urls")),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api-auth/", include("rest_framework.urls")),
]

# JSON under /api/ for whatever refuses a request there (casehub/error_handlers.py).
handler400 = "casehub.error_handlers.bad_request"
handler403 = "casehub.error_handlers.permission_denied"
handler404 = "casehub.error_handlers.page_not_found"
handler500 = "casehub.error_handlers.server_error"
