"""Victims' part of /api/v1/ (included by config/api_urls.py)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from victims.api import CrimeViewSet, VisitOfferViewSet

router = DefaultRouter()
router.include_root_view = False  # config.api_urls serves the API root
router.register("crimes", CrimeViewSet, basename="crime")
router.register("visit-offers", VisitOfferViewSet, basename="visit-offer")

urlpatterns = [path("", include(router.urls))]
