"""London's geography in /api/v1/ (included by config/api_urls.py). The wards themselves, with
their dedicated strength, are served by teams (teams/api_urls.py)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from wards.api import BCUViewSet, BoroughViewSet, PlaceViewSet, WardClusterViewSet

router = DefaultRouter()
router.include_root_view = False  # config.api_urls serves the API root
router.register("bcus", BCUViewSet, basename="bcu")
router.register("boroughs", BoroughViewSet, basename="borough")
router.register("clusters", WardClusterViewSet, basename="cluster")
router.register("places", PlaceViewSet, basename="place")

urlpatterns = [path("", include(router.urls))]
