from django.urls import path

from compacts.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_trail, name="audit"),
    path("audit/<str:object_type>/<str:object_id>/", views.audit_trail, name="audit-object"),
]
