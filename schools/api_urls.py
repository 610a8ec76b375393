from django.urls import path

from schools.api import DecisionView, RankingView

urlpatterns = [
    path("safer-schools/", RankingView.as_view(), name="safer-schools"),
    path("safer-schools/decisions/", DecisionView.as_view(), name="safer-schools-decisions"),
]
