from django.urls import path
from rest_framework.routers import DefaultRouter

from .assistance import AssistanceViewSet
from .audit import AuditEntryViewSet
from .cases import CaseViewSet
from .files import EvidenceFileViewSet
from .participants import campaigns
from .transfers import TransferViewSet

router = DefaultRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("audit", AuditEntryViewSet, basename="audit")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("files", EvidenceFileViewSet, basename="file")
router.register("assistance", AssistanceViewSet, basename="assistance")
urlpatterns = [path("campaigns/", campaigns, name="campaigns"), *router.urls]
