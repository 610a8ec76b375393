from django.urls import path

from wards import views

app_name = "wards"

urlpatterns = [
    path("bcus/<str:code>/", views.bcu, name="bcu"),
    path("boroughs/<str:code>/", views.borough, name="borough"),
    path("wards/<str:code>/", views.ward, name="ward"),
]
