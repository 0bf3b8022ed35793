"""API routes (mounted under /api/v1/)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .api.agency import DisclosureViewSet, DishonestListView, EnterpriseCreditView, RepairViewSet
from .api.public import PublicChanges, PublicExport, PublicRecordDetail, PublicRecordList

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("disclosures", DisclosureViewSet, basename="disclosure")
router.register("credit-repairs", RepairViewSet, basename="credit-repair")

urlpatterns = [
    path("public/disclosures/", PublicRecordList.as_view(), name="public-disclosures"),
    path("public/disclosures/changes/", PublicChanges.as_view(), name="public-disclosure-changes"),
    path("public/disclosures/export.csv", PublicExport.as_view(), name="public-disclosures-csv"),
    path("public/disclosures/<int:pk>/", PublicRecordDetail.as_view(), name="public-disclosure"),
    path("credit/enterprises/<str:credit_code>/", EnterpriseCreditView.as_view(), name="credit-enterprise"),
    path("credit/dishonest/", DishonestListView.as_view(), name="credit-dishonest"),
    path("", include(router.urls)),
]
