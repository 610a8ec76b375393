from django.urls import path, register_converter

from deployment import duty_views, rest_day_views, roster_views, views


class YearConverter:
    regex = r"[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class MonthConverter:
    regex = r"0[1-9]|1[0-2]"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(YearConverter, "yyyy")
register_converter(MonthConverter, "mm")

app_name = "deployment"

urlpatterns = [
    path("flex/", views.flex_list, name="flex_list"),
    path("flex/new/", views.flex_new, name="flex_new"),
    path("flex/queue/", views.flex_queue, name="flex_queue"),
    path("flex/<int:pk>/", views.flex_detail, name="flex"),
    path("flex/<int:pk>/edit/", views.flex_edit, name="flex_edit"),
    path("wards/<str:code>/deployment/", duty_views.ward_calendar, name="ward_calendar"),
    path(
        "wards/<str:code>/deployment/<yyyy:year>/<mm:month>/",
        duty_views.ward_calendar,
        name="ward_calendar",
    ),
    path("officers/<str:shoulder_number>/duties/", duty_views.officer_month, name="officer_month"),
    path(
        "officers/<str:shoulder_number>/duties/<yyyy:year>/<mm:month>/",
        duty_views.officer_month,
        name="officer_month",
    ),
    path("duties/", duty_views.duty_list, name="duty_list"),
    path("duties/new/", duty_views.duty_new, name="duty_new"),
    path("duties/import/", roster_views.roster_upload, name="roster_import"),
    path("duties/import/template.csv", roster_views.roster_template, name="roster_template"),
    path("rest-days/new/", rest_day_views.rest_day_new, name="rest_day_new"),
    path("rest-days/<int:pk>/delete/", rest_day_views.rest_day_remove, name="rest_day_delete"),
    path("abstractions/new/", duty_views.abstraction_new, name="abstraction_new"),
    path(
        "abstractions/below-cover/",
        duty_views.abstractions_below_cover,
        name="abstractions_below_cover",
    ),
]
