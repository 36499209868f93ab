"""The OpenAPI document is valid, and the interactive docs work offline."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_openapi_document_is_valid():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert "/api/v1/organisations" in document["paths"]
    assert "/api/v1/organisations/{organisation_id}" in document["paths"]
    assert "/api/v1/tokens" in document["paths"]
    assert document["components"]["schemas"]["ErrorOut"]["required"] == ["message", "extra"]


def test_docs_page_loads_only_local_assets():
    """No asset comes from a CDN: every script and stylesheet is a vendored static file."""
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    for asset in assets:
        assert asset.startswith("/static/api/swagger-ui/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
    assert "cdn" not in html.lower()


@pytest.mark.browser
def test_docs_page_renders_the_api_in_the_browser(page, axe):
    """Swagger UI draws the operations from the vendored bundle with no network access."""
    external = []
    page.route(
        re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"),
        lambda route: (external.append(route.request.url), route.abort()),
    )
    page.goto("/api/v1/docs")
    # Swagger UI marks each operation's path; the document is large, so allow it time to draw.
    operation = page.locator('.opblock-summary-path[data-path="/api/v1/organisations"]').first
    operation.wait_for(timeout=60_000)
    assert page.locator(".opblock").count() > 5
    assert external == []
