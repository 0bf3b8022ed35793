from django.urls import path
from rest_framework.routers import DefaultRouter

from .assistance import AssistanceViewSet
from .audit import AuditEntryViewSet
from .cases import CaseViewSet
from .files import EvidenceFileViewSet
from .participants import campaigns
from .statistics import index as statistics_index
from .statistics import table as statistics_table
from .transfers import TransferViewSet

router = DefaultRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("audit", AuditEntryViewSet, basename="audit")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("files", EvidenceFileViewSet, basename="file")
router.register("assistance", AssistanceViewSet, basename="assistance")
urlpatterns = [
    path("campaigns/", campaigns, name="campaigns"),
    path("statistics/", statistics_index, name="statistics"),
    path("statistics/<str:name>/", statistics_table, name="statistics-table"),
    *router.urls,
]
