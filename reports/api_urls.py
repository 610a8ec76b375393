from django.urls import include, path
from rest_framework.routers import DefaultRouter

from reports.api import MonthlyReportViewSet
from reports.performance.api import PerformanceView

router = DefaultRouter()
router.include_root_view = False  # config.api_urls serves the API root
router.register("reports", MonthlyReportViewSet, basename="report")

urlpatterns = [
    path("performance/", PerformanceView.as_view(), name="performance"),
    path("", include(router.urls)),
]
