from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "core/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: they may be what failed.
    return HttpResponse(loader.get_template("core/500.html").render({}), status=500)
