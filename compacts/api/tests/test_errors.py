"""One error format for every 4xx under /api/v1/, and never a 500 for bad input."""

import json

import pytest
from django.test import Client

from compacts.actors.testing import superuser, user_without_role
from compacts.api.services import api_token_create

pytestmark = pytest.mark.django_db


def assert_error_format(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"message", "extra"}
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["extra"], dict)
    return body


def _client_for(user) -> Client:
    _token, secret = api_token_create(user=user, name="t", actor=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


class NotFoundTests:
    @pytest.mark.parametrize(
        "path",
        [
            "/api/v1/",
            "/api/v1/nothing",
            "/api/v1/organisations/",
            "/api/v1/a/b/c?x=1",
            "/api/v1/%00",
        ],
    )
    @pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
    def test_unknown_addresses_are_json_404(self, path, method):
        body = assert_error_format(getattr(Client(), method)(path), 404)
        assert body["extra"]["path"].startswith("/api/v1/")

    def test_a_session_post_to_an_unknown_address_is_not_a_csrf_page(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user_without_role())
        assert_error_format(client.post("/api/v1/nothing"), 404)

    def test_unknown_object_is_404(self):
        assert_error_format(Client().get("/api/v1/organisations/12345"), 404)

    def test_404_message_in_the_request_language(self):
        body = assert_error_format(Client().get("/api/v1/nothing", HTTP_ACCEPT_LANGUAGE="fr"), 404)
        assert body["message"] == "Il n’y a rien à cette adresse."


class MethodNotAllowedTests:
    def test_405_names_the_allowed_methods(self):
        response = Client().put("/api/v1/organisations")
        body = assert_error_format(response, 405)
        assert body["extra"]["allowed"] == ["GET", "POST"]
        assert response["Allow"] == "GET, POST"


class AuthenticationTests:
    def test_401_without_credentials_and_with_a_bad_token(self):
        assert_error_format(Client().get("/api/v1/tokens"), 401)
        bad = Client(HTTP_AUTHORIZATION="Bearer cpt_not-a-token")
        assert_error_format(bad.get("/api/v1/tokens"), 401)
        # A public read with a bad token is refused too: a client must learn its token is wrong.
        assert_error_format(bad.get("/api/v1/organisations"), 401)

    def test_403_when_signed_in_without_permission(self):
        body = assert_error_format(
            _client_for(user_without_role()).post(
                "/api/v1/organisations",
                data=json.dumps({"name": "X", "category": "donor"}),
                content_type="application/json",
            ),
            403,
        )
        assert body["extra"]["operation"] == "actors.organisation.create"


class BadInputTests:
    @pytest.mark.parametrize(
        ("body", "status"),
        [
            ("{not json", 400),
            ('{"name": "x"', 400),
            ("\xff\xfe", 400),
            ("[]", 422),
            ('"a string"', 422),
            ('{"name": ["a list"], "category": "donor"}', 422),
            ('{"name": "X", "category": 12}', 422),
            ('{"name": "X", "category": "donor", "short_name": 1e999}', 422),
            ('{"name": "X", "category": "donor", "names": {"fr": 99999999999999999999999}}', 422),
        ],
    )
    def test_malformed_and_wrongly_typed_bodies(self, body, status):
        client = _client_for(superuser())
        response = client.post("/api/v1/organisations", data=body, content_type="application/json")
        assert_error_format(response, status)

    @pytest.mark.parametrize(
        "query",
        ["limit=-5", "offset=-1", "limit=1e3", "offset=1" + "0" * 40, "limit=", "category=%00"],
    )
    def test_bad_query_parameters(self, query):
        assert_error_format(Client().get(f"/api/v1/organisations?{query}"), 422)

    def test_huge_path_ids(self):
        assert_error_format(Client().get("/api/v1/organisations/" + "9" * 40), 422)
        client = _client_for(superuser())
        assert_error_format(client.delete("/api/v1/tokens/" + "9" * 40), 422)
        assert_error_format(client.delete("/api/v1/memberships/" + "9" * 40), 422)

    def test_validation_errors_say_where(self):
        body = assert_error_format(Client().get("/api/v1/organisations?limit=0"), 422)
        assert body["extra"]["errors"][0]["loc"] == ["query", "limit"]
