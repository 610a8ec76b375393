from django.urls import path

from reports import views
from reports.performance import views as performance

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
    path("reports/<int:pk>/performance.csv", views.report_performance_csv,
         name="performance_csv"),
    path("performance/", performance.london, name="performance_london"),
    path("performance/bcu/<str:code>/", performance.bcu, name="performance_bcu"),
    path("performance/borough/<str:code>/", performance.borough, name="performance_borough"),
    path("performance/ward/<str:code>/", performance.ward, name="performance_ward"),
    path("performance/ward/<str:code>/summary/", performance.ward_summary,
         name="performance_ward_summary"),
    path("performance/bands/", performance.band_list, name="performance_bands"),
    path("performance/confidence/", performance.confidence_upload,
         name="performance_confidence"),
]
