from django.urls import path

from planning.api import ProfileView

urlpatterns = [path("demand/profile/", ProfileView.as_view(), name="demand-profile")]
