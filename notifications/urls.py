from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .api.views import NotificationViewSet, PreferencesView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    # Before the router, or "preferences" would be read as a notification id.
    path("notifications/preferences/", PreferencesView.as_view(), name="notification-preferences"),
    path("", include(router.urls)),
]
