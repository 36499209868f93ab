"""The account page where a person creates and revokes her API tokens."""

import pytest
from django.test import Client, override_settings

from compacts.actors.testing import user_without_role
from compacts.api.models import ApiToken
from compacts.api.services import api_token_authenticate, api_token_create

pytestmark = [pytest.mark.django_db, pytest.mark.urls("compacts.api.tests.urls")]


@pytest.fixture
def person():
    return user_without_role(username="amina")


@pytest.fixture
def client(person):
    client = Client()
    client.force_login(person)
    return client


class TokenPageTests:
    def test_needs_a_signed_in_person(self):
        response = Client().get("/account/tokens/")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_create_shows_the_secret_once(self, client, person):
        response = client.post("/account/tokens/", {"name": "export script"})
        assert response.status_code == 200
        secret = response.context["secret"]
        assert secret in response.content.decode()
        assert api_token_authenticate(secret=secret) == person
        again = client.get("/account/tokens/").content.decode()
        assert "export script" in again
        assert secret not in again

    def test_empty_name_is_refused_with_a_message(self, client):
        response = client.post("/account/tokens/", {"name": "  "})
        assert response.status_code == 400
        assert "Give the token a name." in response.content.decode()
        assert not ApiToken.objects.exists()

    def test_revoke(self, client, person):
        token, secret = api_token_create(user=person, name="old", actor=person)
        response = client.post(f"/account/tokens/{token.pk}/revoke/", follow=True)
        assert "The token old is revoked." in response.content.decode()
        assert api_token_authenticate(secret=secret) is None

    def test_someone_elses_token_is_404_and_stays_active(self, client):
        other = user_without_role()
        token, secret = api_token_create(user=other, name="theirs", actor=other)
        assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
        assert api_token_authenticate(secret=secret) == other

    def test_revoke_needs_post(self, client, person):
        token, _secret = api_token_create(user=person, name="t", actor=person)
        assert client.get(f"/account/tokens/{token.pk}/revoke/").status_code == 405


@pytest.mark.browser
@override_settings(ROOT_URLCONF="compacts.api.tests.urls")
@pytest.mark.parametrize("language", ["en", "ar"])
def test_token_page_in_the_browser(page, axe, live_server, language, django_user_model):
    """Sign in, create a token, see it once, revoke it; no accessibility violation."""
    user = django_user_model.objects.create_user(
        username="tokens-" + language, password="pw-Secret-1"
    )
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/accounts/login/?next=/account/tokens/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill("pw-Secret-1")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url("**/account/tokens/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    page.locator("#token-name").fill("browser script")
    page.locator("#token-name").press("Enter")
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("cpt_")
    assert axe(page) == []
    page.get_by_role("button", name="browser script").click()
    page.wait_for_load_state()
    assert api_token_authenticate(secret=secret) is None
