from django.urls import path

from .web import feed, record_page

urlpatterns = [
    path("feed.atom", feed, name="public-disclosures-feed"),
    path("<int:pk>/", record_page, name="public-disclosure-page"),
]
