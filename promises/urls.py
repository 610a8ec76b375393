from django.urls import path

from promises import public, views

app_name = "promises"

urlpatterns = [
    path("promises/", views.promise_list, name="promise_list"),
    path("promises/new/", views.promise_create, name="promise_create"),
    path("promises/<int:pk>/", views.promise, name="promise"),
    path("promises/<int:pk>/end/", views.promise_end, name="promise_end"),
    path("activities/new/", views.activity_log, name="activity_log"),
    path("wards/<str:code>/promises/", views.ward_delivery, name="ward_delivery"),
    path("wards/<str:code>/priorities/new/", views.priority_create, name="priority_create"),
    path(
        "wards/<str:code>/panel-meetings/new/",
        views.panel_meeting_create,
        name="panel_meeting_create",
    ),
    path("wards/<str:code>/events/new/", views.event_create, name="event_create"),
    path("wards/<str:code>/places/new/", views.place_create, name="place_create"),
    path("boroughs/<str:code>/promises/", views.borough_delivery, name="borough_delivery"),
    path("priorities/<int:pk>/action/", views.priority_action, name="priority_action"),
    path("priorities/<int:pk>/close/", views.priority_close, name="priority_close"),
    path("places/import/", views.place_import, name="place_import"),
    # Public: no login.
    path("find/", public.find, name="find"),
    path("neighbourhoods/<str:code>/", public.team, name="public_team"),
]
