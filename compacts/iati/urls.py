from django.urls import path

from compacts.iati import views

app_name = "iati"
urlpatterns = [
    path("activities.xml", views.activities_xml, name="activities"),
    path("organisation.xml", views.organisation_xml, name="organisation"),
    path("registry-record.xml", views.registry_record_xml, name="registry-record"),
    path("import/", views.import_page, name="import"),
    path("import/<int:run_id>/", views.import_run, name="import-run"),
    path("import/<int:run_id>/progress/", views.import_run_progress, name="import-progress"),
]
