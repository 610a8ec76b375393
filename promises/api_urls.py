"""Promises' part of /api/v1/ (included by config/api_urls.py)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from promises.api import (
    ActivityViewSet,
    EngagementEventViewSet,
    PanelMeetingViewSet,
    PromiseViewSet,
    WardPriorityViewSet,
)

router = DefaultRouter()
router.include_root_view = False  # config.api_urls serves the API root
router.register("promises", PromiseViewSet, basename="promise")
router.register("activities", ActivityViewSet, basename="activity")
router.register("priorities", WardPriorityViewSet, basename="priority")
router.register("panel-meetings", PanelMeetingViewSet, basename="panel-meeting")
router.register("events", EngagementEventViewSet, basename="event")

urlpatterns = [path("", include(router.urls))]
