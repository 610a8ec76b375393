"""The URLconf the public schema is generated from: only this API, at its real paths."""

from django.urls import include, path

urlpatterns = [path("api/", include("policeuk.urls"))]
