"""Every tracking page answers, public pages to anyone, protected ones only to those allowed."""

import pytest
from django.test import Client

from compacts.tracking.tests import scenario

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/tracking/pledges/",
    "/tracking/gcr-pledges/",
    "/tracking/indicators/",
    "/tracking/indicators/3-8-1/?country=504&d-Sex=Female",
    "/tracking/health/",
    "/tracking/plans/",
    "/tracking/review-cycle/",
    "/tracking/reports/",
    "/tracking/reports/objectives/15/",
    "/tracking/reports/countries/504/",
]


@pytest.fixture
def data():
    return scenario.build()


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages(data, url):
    assert Client().get(url).status_code == 200


def test_csv_download_matches_export(data):
    from compacts.tracking.tests.scenario import DATA

    response = Client().get("/tracking/indicators/3-8-1.csv")
    assert response.content == (DATA / "3-8-1.csv").read_bytes()


def test_draft_is_hidden_from_the_public_but_not_its_pledger(data):
    url = f"/tracking/pledges/{data.draft.pk}/"
    assert Client().get(url).status_code == 404
    client = Client()
    client.force_login(data.focal)
    assert client.get(url).status_code == 200


def test_review_queue_and_upload_are_for_the_secretariat(data):
    focal = Client()
    focal.force_login(data.focal)
    assert focal.get("/tracking/pledges/review/").status_code == 403
    assert focal.get("/tracking/pledges/upload/").status_code == 403
    secretariat = Client()
    secretariat.force_login(data.secretariat)
    assert secretariat.get("/tracking/pledges/review/").status_code == 200


def test_secretariat_publishes_from_the_page(data):
    from compacts.tracking.services.pledges import pledge_submit

    pledge_submit(pledge=data.draft, actor=data.focal)
    client = Client()
    client.force_login(data.secretariat)
    client.post(f"/tracking/pledges/{data.draft.pk}/transition/", {"to": "published"})
    data.draft.refresh_from_db()
    assert data.draft.state == "published"


def test_refused_move_shows_a_message_and_changes_nothing(data):
    client = Client()
    client.force_login(data.focal)
    response = client.post(
        f"/tracking/pledges/{data.draft.pk}/transition/", {"to": "published"}, follow=True
    )
    assert "A record in state draft cannot move to published." in response.content.decode()
    data.draft.refresh_from_db()
    assert data.draft.state == "draft"
