from rest_framework.routers import DefaultRouter

from .audit import AuditEntryViewSet
from .cases import CaseViewSet

router = DefaultRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("audit", AuditEntryViewSet, basename="audit")
urlpatterns = router.urls
