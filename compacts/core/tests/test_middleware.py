import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

from compacts.core.exceptions import NotFoundError, PermissionDeniedError


def refuse(request):
    raise PermissionDeniedError("Only the administrative agent may do this.")


def missing(request):
    raise NotFoundError("No such fund.")


def fine(request):
    return HttpResponse("ok")


urlpatterns = [
    path("refuse/", refuse),
    path("missing/", missing),
    path("fine/", fine),
    path("", include("compacts.config.urls")),  # the base template's links
]
handler403 = "compacts.core.views.permission_denied"
handler404 = "compacts.core.views.page_not_found"


@pytest.fixture(autouse=True)
def _these_urls(settings):
    settings.ROOT_URLCONF = __name__


class DomainErrorMiddlewareTests:
    @pytest.mark.django_db
    def test_permission_denied_becomes_the_403_page_in_the_readers_language(self):
        response = Client(headers={"accept-language": "es"}).get("/refuse/")
        assert response.status_code == 403
        assert "No tiene permiso para hacer esto." in response.content.decode()

    @pytest.mark.django_db
    def test_not_found_becomes_the_404_page(self):
        response = Client().get("/missing/")
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()

    @pytest.mark.django_db
    def test_other_views_are_untouched(self):
        assert Client().get("/fine/").content == b"ok"
