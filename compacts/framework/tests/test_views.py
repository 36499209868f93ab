"""The public pages render in English and Arabic; the confirm action is for administrators."""

import pytest
from django.test import Client

from compacts.framework.models import Marker, ReferenceStatus, ThematicArea

pytestmark = pytest.mark.usefixtures("reference_data", "db")

PAGES = [
    ("/framework/", "Reference framework"),
    ("/framework/gcm/objectives/", "Collect and utilize accurate and disaggregated data"),
    ("/framework/gcm/objectives/15/", "Provide access to basic services for migrants"),
    ("/framework/gcm/principles/", "Whole-of-society approach"),
    ("/framework/gcr/", "72-73"),
    ("/framework/mptf/", "TA5"),
    ("/framework/sdg/", "Reduce inequality within and among countries"),
    ("/framework/sdg/goals/10/", "10.7.2"),
    ("/framework/sdg/indicators/?gcm=1", "16.9.1"),
    ("/framework/countries/", "Algeria"),
    ("/framework/countries/XK/", "Kosovo"),
    ("/framework/regions/", "Western Africa"),
    ("/framework/codelists/", "Sector"),
    ("/framework/codelists/Sector/", "15190"),
]


@pytest.mark.parametrize(("url", "text"), PAGES)
def test_page_renders_in_english(url, text):
    response = Client().get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert text in html
    assert 'dir="ltr"' in html


@pytest.mark.parametrize(("url", "text"), PAGES)
def test_page_renders_in_arabic_right_to_left(url, text):
    response = Client().get(url, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_reference_names_follow_the_reader_language():
    html = (
        Client().get("/framework/countries/?region=015", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    )
    assert "الجزائر" in html
    html = (
        Client()
        .get("/framework/countries/?region=015", HTTP_ACCEPT_LANGUAGE="zh-hans")
        .content.decode()
    )
    assert "阿尔及利亚" in html
    html = Client().get("/framework/sdg/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Pas de pauvreté" in html or "pauvrete" in html.lower()
    html = Client().get("/framework/codelists/Sector/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "et gestion administrative" in html
    # No Chinese source for the GCM titles: English, not an invented translation.
    html = (
        Client()
        .get("/framework/gcm/objectives/15/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        .content.decode()
    )
    assert "Provide access to basic services for migrants" in html


def test_objective_page_shows_everything_it_should():
    html = Client().get("/framework/gcm/objectives/15/").content.decode()
    assert "paragraph 31" in html
    assert 'id="action-15e"' in html
    assert "People-centred" in html
    assert "Target 3.8" in html
    assert "3.8.1" in html
    assert "TA5" in html
    assert "Provisional" in html


def test_country_filters():
    html = Client().get("/framework/countries/?flag=sids&region=419").content.decode()
    assert "Jamaica" in html
    assert "Algeria" not in html
    assert "Fiji" not in html
    html = Client().get("/framework/countries/?q=DZA").content.decode()
    assert "Algeria" in html
    assert "Egypt" not in html
    assert Client().get("/framework/countries/?region=<script>").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/framework/gcm/objectives/24/",
        "/framework/sdg/goals/18/",
        "/framework/countries/ZZ/",
        "/framework/codelists/Nope/",
    ],
)
def test_unknown_items_are_404(url):
    assert Client().get(url).status_code == 404


def test_superuser_sees_and_uses_the_confirm_action(superuser):
    client = Client()
    client.force_login(superuser)
    html = client.get("/framework/mptf/").content.decode()
    assert "Confirm TA1" in html
    response = client.post("/framework/mptf/thematic-areas/TA1/confirm/")
    assert response.status_code == 302
    assert ThematicArea.objects.get(code="TA1").status == ReferenceStatus.CONFIRMED
    response = client.post("/framework/mptf/markers/gender/confirm/", follow=True)
    assert "is confirmed" in response.content.decode()
    assert Marker.objects.get(code="gender").status == ReferenceStatus.CONFIRMED
    # Twice: a clear message, nothing breaks.
    response = client.post("/framework/mptf/markers/gender/confirm/", follow=True)
    assert "already confirmed" in response.content.decode()


def test_others_get_no_confirm_action(staff_user):
    client = Client()
    assert "Confirm TA1" not in client.get("/framework/mptf/").content.decode()
    assert (
        client.post("/framework/mptf/thematic-areas/TA1/confirm/").status_code == 302
    )  # to sign in
    client.force_login(staff_user)
    assert "Confirm TA1" not in client.get("/framework/mptf/").content.decode()
    assert client.post("/framework/mptf/thematic-areas/TA1/confirm/").status_code == 403
    assert client.get("/framework/mptf/thematic-areas/TA1/confirm/").status_code == 405
    assert ThematicArea.objects.get(code="TA1").status == ReferenceStatus.PROVISIONAL
