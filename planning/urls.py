from django.urls import path

from planning import views

app_name = "planning"
urlpatterns = [
    path("demand/profile/", views.profile_page, name="profile"),
    path("demand/profile.csv", views.profile_csv, name="profile_csv"),
]
