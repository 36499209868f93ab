"""The project's addresses plus ``/test-figures/``, a page showing the test figures (browser
tests set ``ROOT_URLCONF`` to this module)."""

from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.urls import path

from compacts.config.urls import handler403, handler404, handler500  # noqa: F401
from compacts.config.urls import urlpatterns as project_urlpatterns

PAGE = Template(
    '{% extends "base.html" %}{% load figures %}'
    "{% block title %}Figures{% endblock %}"
    "{% block content %}<h1>Figures</h1>"
    '{% figure "test-contributions" %}{% figure "test-map" %}'
    "{% endblock %}"
)


def figures_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE.render(RequestContext(request, {})))


urlpatterns = [path("test-figures/", figures_page), *project_urlpatterns]
