from django.urls import path

from compacts.results import views

app_name = "results"
urlpatterns = [
    path("programmes/<int:programme_id>/", views.programme_results, name="programme"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("programmes/<int:programme_id>/values/", views.indicator_values, name="values"),
    path("values/<int:update_id>/evidence/", views.evidence_download, name="evidence"),
]
