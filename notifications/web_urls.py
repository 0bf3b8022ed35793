from django.urls import path

from .web import inbox_page, mark_all_read

urlpatterns = [
    path("", inbox_page, name="notifications-inbox"),
    path("read-all/", mark_all_read, name="notifications-read-all"),
]
