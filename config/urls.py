from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import import_views, views

# The apps whose `<app>.urls` serve pages, named only as strings.
PAGE_APPS = (
    "wards", "teams", "deployment", "reports", "promises", "victims", "demand", "contact",
    "planning", "supervision", "schools",
)  # fmt: skip

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("config.auth_urls")),
    path("admin/", admin.site.urls),
    *(
        path(f"{page}/", views.information, {"page": page}, name=page)
        for page in ("accessibility", "privacy", "cookies")
    ),
    path("imports/<int:pk>/", import_views.import_status, name="import_status"),
    path("api/v1/", include("config.api_urls")),
    # data.police.uk's API, anonymous, at data.police.uk's paths (after v1: "{force}/{id}").
    path("api/", include("policeuk.urls")),
    *(path("", include(f"{app}.urls")) for app in PAGE_APPS),
]

if settings.BENCH_BARE_VIEW:  # `make bench` only; production refuses the setting
    urlpatterns.append(path("bench/bare/", views.bench_bare, name="bench_bare"))

handler400 = "config.views.bad_request"
handler404 = "config.views.not_found"
handler403 = "config.views.forbidden"
handler500 = "config.views.server_error"
