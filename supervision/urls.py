from django.urls import path

from supervision import views

app_name = "supervision"
urlpatterns = [
    path("supervision/<str:code>/", views.recommendation_page, name="recommendation"),
    path("supervision/<str:code>/proposal.csv", views.proposal_csv, name="proposal_csv"),
    path("supervision/<str:code>/proposal.pdf", views.proposal_pdf, name="proposal_pdf"),
]
