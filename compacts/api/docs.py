"""The interactive API documentation, served from vendored files (no CDN at run time)."""

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger, _csrf_needed


class LocalSwagger(Swagger):
    """django-ninja's Swagger page, always rendered with ``api/swagger.html`` and the Swagger UI
    files in ``compacts/api/static/api/swagger-ui`` (see SOURCE.md there)."""

    template = "api/swagger.html"

    def render_page(self, request: HttpRequest, api, **kwargs) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "swagger_settings": json.dumps(settings, indent=1),
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        return render(request, self.template, context)
