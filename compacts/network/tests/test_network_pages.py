"""The pages where the Secretariat runs country and regional networks (record one, change its
status, add focal points, record what it did) and co-leads take a deliverable from drafting to
publication: permission checks, clear errors on the field with everything typed kept, nothing
changed on a refusal, and the change made (and audited) on success."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from compacts.actors import roles
from compacts.actors.testing import organisation_for_tests, user_with_role
from compacts.core.models import AuditRecord
from compacts.network import services
from compacts.network.models import (
    Achievement,
    CountryNetwork,
    Deliverable,
    FocalPoint,
    PilotFeedback,
)
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def zambia(db):
    return factories.CountryFactory(iso2="ZM", name="Zambia")


@pytest.fixture
def network(zambia):
    return CountryNetwork.objects.create(kind="country", name="Zambia network", country=zambia)


@pytest.fixture
def group(db):
    return factories.WorkingGroupFactory(code="6", name="Access to services")


@pytest.fixture
def co_lead(secretariat, group):
    organisation = organisation_for_tests(name="Co-leading entity")
    services.working_group_member_set(
        actor=secretariat, working_group=group, organisation=organisation, role="co-lead"
    )
    return user_with_role(roles.WORKING_GROUP_CO_LEAD, organisation)


class TestNetworkPermissions:
    def test_the_public_signs_in_and_others_are_refused(self, network, outsider, submitter):
        urls = [
            reverse("network:network-new"),
            reverse("network:network-edit", args=[network.pk]),
            reverse("network:network-manage", args=[network.pk]),
        ]
        for url in urls:
            assert _client().get(url).status_code == 302, url
            assert _client(outsider).get(url).status_code == 403, url
        response = _client(submitter).post(
            reverse("network:network-manage", args=[network.pk]),
            {"action": "achievement", "achievement-kind": "training", "achievement-title": "X"},
        )
        assert response.status_code == 403
        assert not Achievement.objects.exists()

    def test_links_show_to_those_who_may_use_them(self, secretariat, network):
        public = _client().get(reverse("network:network", args=[network.pk])).content.decode()
        assert reverse("network:network-manage", args=[network.pk]) not in public
        staff = _client(secretariat)
        detail = staff.get(reverse("network:network", args=[network.pk])).content.decode()
        assert reverse("network:network-manage", args=[network.pk]) in detail
        listing = staff.get(reverse("network:networks")).content.decode()
        assert reverse("network:network-new") in listing

    def test_a_focal_point_keeps_her_networks_records_but_not_its_status(
        self, secretariat, network, un_entity, outsider
    ):
        services.focal_point_add(
            actor=secretariat, network=network, organisation=un_entity, name="Ana", user=outsider
        )
        client = _client(outsider)
        page = client.get(reverse("network:network-manage", args=[network.pk]))
        assert page.status_code == 200
        assert "The Secretariat changes a network's status." in page.content.decode()
        response = client.post(
            reverse("network:network-manage", args=[network.pk]),
            {"action": "move", "move-to": "established", "move-established_on": "2020-01-01"},
        )
        assert response.status_code == 400
        network.refresh_from_db()
        assert (network.state, network.established_on) == ("planned", None)


class TestNetworkPages:
    def test_the_secretariat_records_a_network(self, secretariat, zambia, un_entity):
        response = _client(secretariat).post(
            reverse("network:network-new"),
            {
                "kind": "country",
                "name": "UN Network on Migration in Zambia",
                "country": zambia.pk,
                "coordinating_office": "RCO Lusaka",
                "member_organisations": [un_entity.pk],
            },
        )
        network = CountryNetwork.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("network:network-manage", args=[network.pk])
        assert list(network.member_organisations.all()) == [un_entity]
        assert AuditRecord.objects.filter(action="network.country_network.create").exists()

    def test_a_mistake_keeps_what_was_typed(self, secretariat, network, zambia):
        client = _client(secretariat)
        duplicate = client.post(
            reverse("network:network-new"),
            {"kind": "country", "name": "Second network", "country": zambia.pk},
        )
        assert duplicate.status_code == 400
        body = duplicate.content.decode()
        assert "This country already has a network." in body
        assert 'href="#id_country"' in body  # the error links to its field
        assert 'value="Second network"' in body
        regional = client.post(
            reverse("network:network-new"), {"kind": "regional", "name": "Southern Africa"}
        )
        assert regional.status_code == 400
        assert "A regional network needs its region." in regional.content.decode()
        assert CountryNetwork.objects.count() == 1

    def test_the_record_is_edited(self, secretariat, network):
        client = _client(secretariat)
        url = reverse("network:network-edit", args=[network.pk])
        assert 'name="kind"' not in client.get(url).content.decode()
        future = client.post(url, {"name": "Renamed", "established_on": "2999-01-01"})
        assert future.status_code == 400
        assert 'value="Renamed"' in future.content.decode()
        network.refresh_from_db()
        assert network.name == "Zambia network"
        client.post(url, {"name": "Renamed", "coordinating_office": "RCO"})
        network.refresh_from_db()
        assert (network.name, network.coordinating_office) == ("Renamed", "RCO")

    def test_status_moves_with_the_date_and_illegal_moves_name_the_allowed_ones(
        self, secretariat, network
    ):
        client = _client(secretariat)
        url = reverse("network:network-manage", args=[network.pk])
        page = client.get(url).content.decode()
        assert '<option value="established">' in page
        assert '<option value="inactive">' not in page
        illegal = client.post(url, {"action": "move", "move-to": "inactive", "move-note": "x"})
        assert illegal.status_code == 400
        body = illegal.content.decode()
        assert "From here it can move to: Established." in body
        assert 'value="x"' in body  # the note typed is kept
        no_date = client.post(url, {"action": "move", "move-to": "established"})
        assert "Give the date the network was established first." in no_date.content.decode()
        network.refresh_from_db()
        assert network.state == "planned"
        moved = client.post(
            url, {"action": "move", "move-to": "established", "move-established_on": "2021-03-01"}
        )
        assert moved.status_code == 302
        network.refresh_from_db()
        assert (network.state, network.established_on) == ("established", datetime.date(2021, 3, 1))
        no_note = client.post(url, {"action": "move", "move-to": "inactive"})
        assert "Give a reason (note) for this step." in no_note.content.decode()
        network.refresh_from_db()
        assert network.state == "established"

    def test_focal_points_and_achievements(self, secretariat, network, un_entity, outsider):
        client = _client(secretariat)
        url = reverse("network:network-manage", args=[network.pk])
        unknown = client.post(
            url,
            {
                "action": "focal-point",
                "focal-organisation": un_entity.pk,
                "focal-name": "Ana Phiri",
                "focal-username": "nobody-here",
            },
        )
        assert unknown.status_code == 400
        assert "No active account has this user name." in unknown.content.decode()
        assert 'value="Ana Phiri"' in unknown.content.decode()
        assert not FocalPoint.objects.exists()
        client.post(
            url,
            {
                "action": "focal-point",
                "focal-organisation": un_entity.pk,
                "focal-name": "Ana Phiri",
                "focal-email": "ana@example.org",
                "focal-username": outsider.username,
            },
        )
        assert FocalPoint.objects.get().user == outsider
        negative = client.post(
            url,
            {
                "action": "achievement",
                "achievement-kind": "training",
                "achievement-title": "Border officials trained",
                "achievement-happened_on": "2022-05-01",
                "achievement-people_trained": "-3",
            },
        )
        assert negative.status_code == 400
        assert 'value="Border officials trained"' in negative.content.decode()
        assert not Achievement.objects.exists()
        client.post(
            url,
            {
                "action": "achievement",
                "achievement-kind": "training",
                "achievement-title": "Border officials trained",
                "achievement-happened_on": "2022-05-01",
                "achievement-people_trained": "40",
            },
        )
        public = _client().get(reverse("network:network", args=[network.pk])).content.decode()
        assert "Border officials trained" in public
        assert "Ana Phiri" in public

    def test_an_unknown_action_changes_nothing(self, secretariat, network):
        response = _client(secretariat).post(
            reverse("network:network-manage", args=[network.pk]), {"action": "explode"}
        )
        assert response.status_code == 400
        assert "Check the form and try again." in response.content.decode()


class TestDeliverablePages:
    def test_a_co_lead_takes_a_deliverable_to_publication(self, co_lead, secretariat, group):
        kenya = services.champion_country_add(
            actor=secretariat, country=factories.CountryFactory(iso2="KE", name="Kenya")
        )
        client = _client(co_lead)
        manage = reverse("network:working-group-manage", args=[group.code])
        created = client.post(
            manage, {"action": "deliverable", "deliverable-title": "Toolkit on health"}
        )
        deliverable = Deliverable.objects.get()
        url = reverse("network:deliverable-manage", args=[group.code, deliverable.pk])
        assert created["Location"] == url
        early = client.post(url, {"action": "move", "move-to": "pilot-testing"})
        assert early.status_code == 400
        assert "Name the champion countries" in early.content.decode()
        client.post(url, {"action": "pilots", "pilots-champions": [kenya.pk]})
        client.post(url, {"action": "move", "move-to": "pilot-testing"})
        empty = client.post(url, {"action": "feedback", "feedback-champion": kenya.pk})
        assert empty.status_code == 400
        assert 'href="#id_feedback-feedback"' in empty.content.decode()
        client.post(
            url,
            {"action": "feedback", "feedback-champion": kenya.pk, "feedback-feedback": "Clear."},
        )
        assert PilotFeedback.objects.get().feedback == "Clear."
        client.post(url, {"action": "move", "move-to": "published"})
        deliverable.refresh_from_db()
        assert deliverable.state == "published"
        page = client.get(reverse("network:working-group", args=[group.code])).content.decode()
        assert "Clear." in page

    def test_stepping_back_needs_a_note_and_illegal_moves_are_refused(self, secretariat, group):
        deliverable = Deliverable.objects.create(
            working_group=group, title="Toolkit", state="pilot-testing"
        )
        client = _client(secretariat)
        url = reverse("network:deliverable-manage", args=[group.code, deliverable.pk])
        back = client.post(url, {"action": "move", "move-to": "drafting"})
        assert "Give a reason (note) for this step." in back.content.decode()
        illegal = client.post(url, {"action": "move", "move-to": "pilot-testing"})
        assert "From here it can move to: Drafting, Published." in illegal.content.decode()
        deliverable.refresh_from_db()
        assert deliverable.state == "pilot-testing"

    def test_others_are_refused(self, submitter, group):
        deliverable = Deliverable.objects.create(working_group=group, title="Toolkit")
        url = reverse("network:deliverable-manage", args=[group.code, deliverable.pk])
        assert _client().get(url).status_code == 302
        assert _client(submitter).get(url).status_code == 403
        response = _client(submitter).post(
            reverse("network:working-group-manage", args=[group.code]),
            {"action": "deliverable", "deliverable-title": "Mine"},
        )
        assert response.status_code == 403
        assert Deliverable.objects.count() == 1
