"""Services that run a country network: its record, its status with the date established, and
the refusal of illegal moves naming the allowed ones."""

import datetime

import pytest
from django.utils import timezone

from compacts.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from compacts.core.models import AuditRecord
from compacts.network import services
from compacts.network.models import CountryNetwork, StateChange
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):
    return CountryNetwork.objects.create(
        kind="country", name="Zambia network", country=factories.CountryFactory(iso2="ZM")
    )


class TestCountryNetworkUpdate:
    def test_changes_the_record_and_its_members(self, secretariat, network, un_entity):
        """The record and the member entities change, each audited."""
        services.country_network_update(
            actor=secretariat,
            network=network,
            name=" Zambia UN network ",
            coordinating_office="RCO Lusaka",
            member_organisation_ids=[un_entity.pk],
        )
        network.refresh_from_db()
        assert (network.name, network.coordinating_office) == ("Zambia UN network", "RCO Lusaka")
        assert list(network.member_organisations.all()) == [un_entity]
        actions = set(AuditRecord.objects.values_list("action", flat=True))
        assert {"network.country_network.update", "network.country_network.members"} <= actions

    def test_an_established_network_keeps_its_date(self, secretariat, network):
        services.country_network_transition(
            network=network,
            to="established",
            actor=secretariat,
            established_on=datetime.date(2020, 1, 1),
        )
        with pytest.raises(ApplicationError, match="keeps the date it was established"):
            services.country_network_update(actor=secretariat, network=network, name="X")
        network.refresh_from_db()
        assert (network.name, network.established_on) == (
            "Zambia network",
            datetime.date(2020, 1, 1),
        )

    def test_refuses_a_future_date_unknown_members_and_others(self, secretariat, network, outsider):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        with pytest.raises(ApplicationError, match="cannot be in the future"):
            services.country_network_update(
                actor=secretariat, network=network, name="X", established_on=tomorrow
            )
        with pytest.raises(ApplicationError, match="Unknown member_organisations: 9999"):
            services.country_network_update(
                actor=secretariat, network=network, name="X", member_organisation_ids=[9999]
            )
        with pytest.raises(PermissionDeniedError):
            services.country_network_update(actor=outsider, network=network, name="X")
        network.refresh_from_db()
        assert network.name == "Zambia network"


class TestCountryNetworkTransition:
    def test_the_date_comes_with_the_move(self, secretariat, network):
        services.country_network_transition(
            network=network,
            to="established",
            actor=secretariat,
            established_on=datetime.date(2021, 3, 1),
        )
        network.refresh_from_db()
        assert (network.state, network.established_on) == ("established", datetime.date(2021, 3, 1))
        change = StateChange.objects.get(machine="country_network")
        assert (change.from_state, change.to_state) == ("planned", "established")

    def test_an_illegal_move_names_the_allowed_ones(self, secretariat, network):
        with pytest.raises(ConflictError) as caught:
            services.country_network_transition(
                network=network, to="inactive", actor=secretariat, note="Stopped"
            )
        assert caught.value.extra["allowed"] == ["established"]
        assert caught.value.message == (
            "A country network cannot move from planned to inactive. "
            "From here it can move to: Established."
        )

    def test_a_date_with_another_move_is_refused(self, secretariat, network):
        with pytest.raises(ApplicationError, match="only when the network becomes established"):
            services.country_network_transition(
                network=network,
                to="inactive",
                actor=secretariat,
                established_on=datetime.date(2020, 1, 1),
            )

    def test_a_focal_point_cannot_move_it_and_the_date_is_not_kept(
        self, secretariat, network, un_entity, outsider
    ):
        services.focal_point_add(
            actor=secretariat, network=network, organisation=un_entity, name="Ana", user=outsider
        )
        with pytest.raises(PermissionDeniedError):
            services.country_network_transition(
                network=network,
                to="established",
                actor=outsider,
                established_on=datetime.date(2020, 1, 1),
            )
        network.refresh_from_db()
        assert (network.state, network.established_on) == ("planned", None)

    def test_a_refused_move_does_not_keep_the_date(self, secretariat, network):
        """The date is written in the same transaction as the move: when the move is refused
        (here, established -> established), the date given with it is not kept."""
        services.country_network_transition(
            network=network,
            to="established",
            actor=secretariat,
            established_on=datetime.date(2020, 1, 1),
        )
        with pytest.raises(ConflictError):
            services.country_network_transition(
                network=network,
                to="established",
                actor=secretariat,
                established_on=datetime.date(2019, 1, 1),
            )
        network.refresh_from_db()
        assert network.established_on == datetime.date(2020, 1, 1)
