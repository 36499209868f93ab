from django.urls import path

from compacts.actors import views

app_name = "actors"
urlpatterns = [
    path("", views.organisation_list, name="organisation-list"),
    path("<int:organisation_id>/", views.organisation_detail, name="organisation-detail"),
]
