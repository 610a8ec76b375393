from django.urls import include, path
from rest_framework.routers import DefaultRouter

from planning.api import ProfileView

router = DefaultRouter()  # no resources of its own: the profile is one view
router.include_root_view = False

urlpatterns = [
    path("demand/profile/", ProfileView.as_view(), name="demand-profile"),
    path("", include(router.urls)),
]
