"""Deployment's part of /api/v1/ (included by config/api_urls.py)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from deployment.api import (
    AbstractionTypeViewSet,
    AbstractionViewSet,
    DutyViewSet,
    FlexRequestViewSet,
)
from deployment.rest_day_api import RestDayViewSet

router = DefaultRouter()
router.include_root_view = False  # config.api_urls serves the API root
router.register("abstraction-types", AbstractionTypeViewSet, basename="abstraction-type")
router.register("duties", DutyViewSet, basename="duty")
router.register("rest-days", RestDayViewSet, basename="rest-day")
router.register("abstractions", AbstractionViewSet, basename="abstraction")
router.register("flex-requests", FlexRequestViewSet, basename="flex-request")

urlpatterns = [path("", include(router.urls))]
