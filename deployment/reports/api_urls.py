from django.urls import include, path
from rest_framework.routers import DefaultRouter

from deployment.reports.api import MonthlyReportViewSet

router = DefaultRouter()
router.register("reports", MonthlyReportViewSet, basename="report")

urlpatterns = [path("", include(router.urls))]
