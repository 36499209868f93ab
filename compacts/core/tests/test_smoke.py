from django.test import Client


def test_home_page_renders_in_english(db):
    """The home page answers 200 with the site's title."""
    response = Client().get("/")
    assert response.status_code == 200
    assert "Coordinating the Global Compacts" in response.content.decode()
