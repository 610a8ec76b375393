from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_list, name="list"),
    path("reports/generate/", views.report_generate, name="generate"),
    path("reports/failures/", views.report_failures, name="failures"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/status/", views.report_status, name="status"),
    path("reports/<int:pk>/csv/", views.report_csv, name="csv"),
    path("reports/<int:pk>/wards.csv", views.report_wards_csv, name="wards_csv"),
    path("reports/<int:pk>/pdf/", views.report_pdf_download, name="pdf"),
    path("boroughs/<str:code>/grip-and-pace/", views.grip_and_pace, name="grip_and_pace"),
]
