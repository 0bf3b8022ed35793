"""The public credit portal, under /public/disclosures/ (no sign-in)."""

from django.urls import path

from .web import feed, feeds_page, portal_list, record_page

urlpatterns = [
    path("", portal_list, name="public-portal"),
    path("feeds/", feeds_page, name="public-portal-feeds"),
    path("feed.atom", feed, name="public-disclosures-feed"),
    path("<int:pk>/", record_page, name="public-disclosure-page"),
]
