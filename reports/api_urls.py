from django.urls import include, path
from rest_framework.routers import DefaultRouter

from reports.api import MonthlyReportViewSet

router = DefaultRouter()
router.include_root_view = False  # config.api_urls serves the API root
router.register("reports", MonthlyReportViewSet, basename="report")

urlpatterns = [path("", include(router.urls))]
