"""Teams' part of /api/v1/ (included by config/api_urls.py): wards with their dedicated strength,
officers, teams and postings."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from teams.api import OfficerViewSet, PostingViewSet, TeamViewSet, WardViewSet

router = DefaultRouter()
router.include_root_view = False  # config.api_urls serves the API root
router.register("wards", WardViewSet, basename="ward")
router.register("officers", OfficerViewSet, basename="officer")
router.register("teams", TeamViewSet, basename="team")
router.register("postings", PostingViewSet, basename="posting")

urlpatterns = [path("", include(router.urls))]
