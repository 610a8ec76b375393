from django.urls import path

from teams import views

app_name = "teams"

urlpatterns = [
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/<str:shoulder_number>/", views.officer, name="officer"),
    path("officers/<str:shoulder_number>/move/", views.officer_move, name="officer_move"),
    path(
        "officers/<str:shoulder_number>/transfer/",
        views.officer_transfer,
        name="officer_transfer",
    ),
    path(
        "officers/<str:shoulder_number>/transfer/cancel/",
        views.transfer_cancel,
        name="transfer_cancel",
    ),
    path("wards/<str:code>/post/", views.ward_post, name="ward_post"),
    path("postings/<int:pk>/end/", views.posting_end, name="posting_end"),
    path("teams/<int:pk>/", views.team, name="team"),
]
