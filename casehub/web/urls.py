"""The web UI's routes (namespace ``web``): one module per area, each with
its own ``urlpatterns``."""

from django.urls import path

from disclosure.web_desk import urls as disclosure_desk

from . import account, agency, case_export, case_list, case_new, case_page, search, workbench
from . import case_audit, case_cooperation, case_evidence, case_notes
from . import manage_agencies, manage_calendar, manage_members, manage_service_accounts
from . import supervision, transfer_new, transfer_page, transfers
from . import assistance_desk, assistance_page, case_assistance
from . import statistics as statistics_pages
from . import desk_export

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
    *disclosure_desk.urlpatterns,
    *manage_members.urlpatterns,
    *manage_service_accounts.urlpatterns,
    *manage_calendar.urlpatterns,
    *manage_agencies.urlpatterns,
    *transfers.urlpatterns,
    *transfer_page.urlpatterns,
    *transfer_new.urlpatterns,
    *supervision.urlpatterns,
    *assistance_desk.urlpatterns, *assistance_page.urlpatterns, *case_assistance.urlpatterns,
    *statistics_pages.urlpatterns,
    *desk_export.urlpatterns,
]
