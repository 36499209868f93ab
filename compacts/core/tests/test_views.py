from django.test import Client


class HomeViewTests:
    def test_home_renders_in_english_by_default(self, db):
        response = Client().get("/")
        assert response.status_code == 200
        assert 'lang="en" dir="ltr"' in response.content.decode()

    def test_accept_language_arabic_renders_right_to_left(self, db):
        response = Client(headers={"accept-language": "ar"}).get("/")
        assert 'lang="ar" dir="rtl"' in response.content.decode()

    def test_unknown_language_falls_back_to_english(self, db):
        client = Client(headers={"accept-language": "xx-YY"})
        client.cookies["django_language"] = "tlh"
        response = client.get("/")
        assert 'lang="en" dir="ltr"' in response.content.decode()

    def test_unknown_page_is_a_404_in_the_readers_language(self, db):
        response = Client(headers={"accept-language": "fr"}).get("/no-such-page/")
        assert response.status_code == 404
        assert "Page introuvable" in response.content.decode()
