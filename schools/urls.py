from django.urls import path

from schools import views

app_name = "schools"
urlpatterns = [
    path("safer-schools/import/", views.school_import, name="import"),
    path("safer-schools/<str:code>/", views.schools_page, name="schools"),
]
