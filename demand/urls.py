from django.urls import path

from demand import views

app_name = "demand"
urlpatterns = [
    path("demand/", views.index, name="index"),
    path("demand/wards.csv", views.table_csv, name="table_csv"),
    path("demand/wards/<str:code>/", views.ward, name="ward"),
    path("demand/imports/", views.imports, name="imports"),
    path("demand/imports/<int:pk>/", views.import_detail, name="import"),
    path("demand/themes/", views.themes, name="themes"),
    path("demand/themes/new/", views.theme_edit, name="theme_new"),
    path("demand/themes/<slug:slug>/", views.theme_edit, name="theme_edit"),
    path("demand/targets/new/", views.target_edit, name="target_new"),
    path("demand/targets/<int:pk>/", views.target_edit, name="target_edit"),
]
