"""The API: /api/v1/figures/ lists figures, /api/v1/figures/{slug} gives one, errors in the API's
error format."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


class FigureApiTests:
    def test_list_includes_the_figure_with_its_title(self, sample_figure):
        response = Client().get("/api/v1/figures/?limit=500")
        assert response.status_code == 200
        body = response.json()
        entry = next(item for item in body["items"] if item["slug"] == sample_figure)
        assert entry == {
            "slug": "test-contributions",
            "title": "Contributions by donor",
            "url": "/api/v1/figures/test-contributions",
        }
        assert body["count"] >= 1

    def test_detail_matches_the_json_download(self, sample_figure):
        api = Client().get("/api/v1/figures/test-contributions?year=2024")
        download = Client().get("/data/test-contributions.json?year=2024")
        assert api.status_code == 200
        assert api.json() == download.json()
        assert [row["amount"] for row in api.json()["rows"]] == ["-250.00", "0.10"]

    def test_unknown_figure_is_a_json_404(self):
        response = Client(headers={"accept-language": "fr"}).get("/api/v1/figures/nothing")
        assert response.status_code == 404
        assert response.json()["extra"] == {"slug": "nothing"}
        assert "nothing" in response.json()["message"]

    def test_unknown_code_is_a_json_404_and_refused_param_a_400(self, sample_figure):
        not_found = Client().get("/api/v1/figures/test-contributions?donor=ZZ")
        assert not_found.status_code == 404
        assert not_found.json() == {"message": "Unknown donor", "extra": {"donor": "ZZ"}}
        refused = Client().get("/api/v1/figures/test-contributions?currency=EUR")
        assert refused.status_code == 400
        assert refused.json()["message"] == "Only US dollars"

    def test_figures_are_in_the_openapi_document(self):
        paths = Client().get("/api/v1/openapi.json").json()["paths"]
        assert "/api/v1/figures/" in paths
        assert "/api/v1/figures/{slug}" in paths
