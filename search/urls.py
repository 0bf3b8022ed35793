from django.urls import path

from .api import CaseSearchView

urlpatterns = [path("search/cases/", CaseSearchView.as_view(), name="search-cases")]
