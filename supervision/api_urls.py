from django.urls import include, path
from rest_framework.routers import DefaultRouter

from supervision.api import DecisionView, RecommendationView

router = DefaultRouter()  # no resources of its own: a recommendation and a decision
router.include_root_view = False

urlpatterns = [
    path(
        "supervision/recommendation/",
        RecommendationView.as_view(),
        name="supervision-recommendation",
    ),
    path("supervision/decisions/", DecisionView.as_view(), name="supervision-decisions"),
    path("", include(router.urls)),
]
