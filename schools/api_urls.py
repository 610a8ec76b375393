from django.urls import include, path
from rest_framework.routers import DefaultRouter

from schools.api import DecisionView, RankingView, SchoolImportView

router = DefaultRouter()  # no resources of its own: a ranking, a decision and an import
router.include_root_view = False

urlpatterns = [
    path("safer-schools/", RankingView.as_view(), name="safer-schools"),
    path("safer-schools/decisions/", DecisionView.as_view(), name="safer-schools-decisions"),
    path("safer-schools/import/", SchoolImportView.as_view(), name="safer-schools-import"),
    path("", include(router.urls)),
]
