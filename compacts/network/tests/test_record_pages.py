"""The pages that change and remove a network's focal points and records of what it did: each
row of the manage page has an edit link and a remove button; removing asks first (a POST with
CSRF shows the confirmation text, a second POST with ``confirm=yes`` removes); errors keep what
was typed and change nothing; others are refused."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from compacts.core.models import AuditRecord
from compacts.network import services
from compacts.network.models import Achievement, CountryNetwork, FocalPoint
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def network(db):
    country = factories.CountryFactory(iso2="ZM", name="Zambia")
    return CountryNetwork.objects.create(kind="country", name="Zambia network", country=country)


@pytest.fixture
def focal_point(secretariat, network, un_entity):
    return services.focal_point_add(
        actor=secretariat, network=network, organisation=un_entity, name="Ana Phiri"
    )


@pytest.fixture
def achievement(secretariat, network):
    return services.achievement_record(
        actor=secretariat,
        network=network,
        kind="training",
        title="Officials trained",
        happened_on=datetime.date(2022, 5, 1),
        people_trained=30,
    )


def _urls(network, focal_point, achievement) -> list[str]:
    return [
        reverse("network:focal-point-edit", args=[network.pk, focal_point.pk]),
        reverse("network:focal-point-remove", args=[network.pk, focal_point.pk]),
        reverse("network:achievement-edit", args=[network.pk, achievement.pk]),
        reverse("network:achievement-remove", args=[network.pk, achievement.pk]),
    ]


class TestPermissions:
    def test_the_public_signs_in_and_others_are_refused(
        self, network, focal_point, achievement, submitter
    ):
        for url in _urls(network, focal_point, achievement):
            assert _client().get(url).status_code == 302, url
            assert _client(submitter).get(url).status_code == 403, url
            assert _client(submitter).post(url, {"confirm": "yes"}).status_code == 403, url
        assert FocalPoint.objects.exists()
        assert Achievement.objects.exists()

    def test_a_row_of_another_network_is_not_found(self, secretariat, focal_point, achievement):
        other = CountryNetwork.objects.create(
            kind="country", name="Other", country=factories.CountryFactory(iso2="KE")
        )
        for url in _urls(other, focal_point, achievement):
            assert _client(secretariat).get(url).status_code == 404, url

    def test_the_manage_page_links_each_row(self, secretariat, network, focal_point, achievement):
        page = (
            _client(secretariat)
            .get(reverse("network:network-manage", args=[network.pk]))
            .content.decode()
        )
        for url in _urls(network, focal_point, achievement):
            assert url in page
        assert (
            'method="post" action="{}"'.format(
                reverse("network:focal-point-remove", args=[network.pk, focal_point.pk])
            )
            in page
        )


class TestFocalPointPages:
    def test_edit_keeps_what_was_typed_on_a_mistake_then_saves(
        self, secretariat, network, focal_point, un_entity, outsider
    ):
        client = _client(secretariat)
        url = reverse("network:focal-point-edit", args=[network.pk, focal_point.pk])
        page = client.get(url).content.decode()
        assert 'value="Ana Phiri"' in page
        mistake = client.post(
            url,
            {"organisation": un_entity.pk, "name": "Ana Banda", "username": "nobody-here"},
        )
        assert mistake.status_code == 400
        body = mistake.content.decode()
        assert "No active account has this user name." in body
        assert 'href="#id_username"' in body
        assert 'value="Ana Banda"' in body
        focal_point.refresh_from_db()
        assert focal_point.name == "Ana Phiri"
        saved = client.post(
            url,
            {
                "organisation": un_entity.pk,
                "name": "Ana Banda",
                "email": "ana@example.org",
                "username": outsider.username,
            },
        )
        assert saved.status_code == 302
        assert saved["Location"] == reverse("network:network-manage", args=[network.pk])
        focal_point.refresh_from_db()
        assert (focal_point.name, focal_point.user) == ("Ana Banda", outsider)
        assert AuditRecord.objects.filter(action="network.focal_point.update").exists()

    def test_remove_asks_first_then_removes(self, secretariat, network, focal_point):
        client = _client(secretariat)
        url = reverse("network:focal-point-remove", args=[network.pk, focal_point.pk])
        asked = client.post(url)
        assert asked.status_code == 200
        body = asked.content.decode()
        assert "Remove the focal point Ana Phiri?" in body
        assert "will no longer be a focal point of Zambia network" in body
        assert 'name="confirm" value="yes"' in body
        assert 'name="csrfmiddlewaretoken"' in body
        assert FocalPoint.objects.exists()
        removed = client.post(url, {"confirm": "yes"})
        assert removed.status_code == 302
        assert not FocalPoint.objects.exists()
        assert AuditRecord.objects.filter(action="network.focal_point.delete").exists()
        assert client.post(url, {"confirm": "yes"}).status_code == 404

    def test_remove_needs_the_csrf_token(self, secretariat, network, focal_point):
        client = Client(enforce_csrf_checks=True)
        client.force_login(secretariat)
        url = reverse("network:focal-point-remove", args=[network.pk, focal_point.pk])
        assert client.post(url, {"confirm": "yes"}).status_code == 403
        assert FocalPoint.objects.exists()


class TestAchievementPages:
    def test_edit_refuses_a_future_date_then_saves(self, secretariat, network, achievement):
        client = _client(secretariat)
        url = reverse("network:achievement-edit", args=[network.pk, achievement.pk])
        assert 'value="Officials trained"' in client.get(url).content.decode()
        future = client.post(
            url,
            {"kind": "training", "title": "Renamed", "happened_on": "2999-01-01"},
        )
        assert future.status_code == 400
        body = future.content.decode()
        assert "The date cannot be in the future." in body
        assert 'value="Renamed"' in body
        achievement.refresh_from_db()
        assert achievement.title == "Officials trained"
        saved = client.post(
            url,
            {
                "kind": "concept-note",
                "title": "Concept note submitted",
                "happened_on": "2022-06-01",
                "reference": "CN-1",
            },
        )
        assert saved.status_code == 302
        achievement.refresh_from_db()
        assert (achievement.kind, achievement.people_trained, achievement.reference) == (
            "concept-note",
            None,
            "CN-1",
        )

    def test_remove_asks_first_then_removes(self, secretariat, network, achievement):
        client = _client(secretariat)
        url = reverse("network:achievement-remove", args=[network.pk, achievement.pk])
        asked = client.get(url)
        assert asked.status_code == 200
        assert "Officials trained" in asked.content.decode()
        assert Achievement.objects.exists()
        client.post(url, {"confirm": "yes"})
        assert not Achievement.objects.exists()
        public = _client().get(reverse("network:network", args=[network.pk])).content.decode()
        assert "Officials trained" not in public
        assert AuditRecord.objects.filter(action="network.achievement.delete").exists()
