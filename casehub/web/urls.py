"""The web UI's routes (namespace ``web``): one module per area, each with
its own ``urlpatterns``."""

from django.urls import path

from . import account, agency, case_export, case_list, case_new, case_page, search, workbench
from . import case_audit, case_cooperation, case_evidence, case_notes
from . import statistics as statistics_pages

app_name = "web"

urlpatterns = [
    path("", workbench.workbench, name="workbench"),
    path("agency/", agency.switch_agency, name="switch-agency"),
    *case_list.urlpatterns,
    *case_export.urlpatterns,
    *case_new.urlpatterns,
    *case_page.urlpatterns,
    *case_notes.urlpatterns,
    *case_evidence.urlpatterns,
    *case_cooperation.urlpatterns,
    *case_audit.urlpatterns,
    *search.urlpatterns,
    *account.urlpatterns,
    *statistics_pages.urlpatterns,
]
