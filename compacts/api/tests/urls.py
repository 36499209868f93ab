"""The project's URLs plus the account pages of the api app, until config/urls.py includes them
(docs/api.md gives the line)."""

from django.urls import include, path

from compacts.config.urls import handler404, handler500  # noqa: F401
from compacts.config.urls import urlpatterns as project_urlpatterns

_included = any(getattr(p, "namespace", None) == "api-account" for p in project_urlpatterns)
urlpatterns = [
    *project_urlpatterns,
    *([] if _included else [path("account/", include("compacts.api.urls"))]),
]
