from django.urls import include, path
from rest_framework.routers import DefaultRouter

from demand.api import DataImportViewSet, DemandMap, DemandPoints, DemandWardList

router = DefaultRouter()
router.include_root_view = False
router.register("demand/imports", DataImportViewSet, basename="demand-import")

urlpatterns = [
    path("demand/wards/", DemandWardList.as_view(), name="demand-wards"),
    path("demand/map/", DemandMap.as_view(), name="demand-map"),
    path("demand/points/", DemandPoints.as_view(), name="demand-points"),
    path("", include(router.urls)),
]
