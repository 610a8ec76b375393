from django.contrib import admin
from django.urls import include, path

from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("config.auth_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("", include("wards.urls")),
    path("", include("teams.urls")),
    path("", include("deployment.urls")),
    path("", include("deployment.reports.urls")),
    path("", include("promises.urls")),
    path("", include("victims.urls")),
]

handler404 = "config.views.not_found"
handler403 = "config.views.forbidden"
handler500 = "config.views.server_error"
