from django.urls import path, re_path

from compacts.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_trail, name="audit"),
    path("audit/<str:object_type>/<str:object_id>/", views.audit_trail, name="audit-object"),
    re_path(
        r"^data/(?P<slug>[-\w]+)\.(?P<fmt>csv|xlsx|json)$", views.figure_data, name="figure-data"
    ),
]
