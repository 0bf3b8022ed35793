from django.urls import path

from .web import inbox_page, latest, mark_all_read, mark_read

urlpatterns = [
    path("", inbox_page, name="notifications-inbox"),
    path("latest/", latest, name="notifications-latest"),
    path("<int:notification_id>/read/", mark_read, name="notifications-read"),
    path("read-all/", mark_all_read, name="notifications-read-all"),
]
