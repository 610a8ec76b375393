from django.urls import path

from victims import views

app_name = "victims"

urlpatterns = [
    path("victims/", views.index, name="index"),
    path("victims/wards/<str:code>/", views.ward_work_list, name="ward_work_list"),
    path("victims/cid/<str:code>/", views.cid_work_list, name="cid_work_list"),
    path("victims/boroughs/<str:code>/figures/", views.borough_figures, name="figures"),
    path("victims/crimes/", views.crime_list, name="crime_list"),
    path("victims/crimes/new/", views.crime_new, name="crime_new"),
    path("victims/crimes/<int:pk>/", views.crime_detail, name="crime"),
    path("victims/crimes/<int:pk>/close/", views.crime_close, name="crime_close"),
    path("victims/offers/<int:pk>/<slug:action>/", views.offer_action, name="offer_action"),
    path("victims/view-log/", views.view_log, name="view_log"),
]
