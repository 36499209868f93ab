"""The members selectors: current members are those with no date they left or one still ahead;
former members left on or before the day asked about (latest departure first); the Executive
Committee filter; the counts, in one query; an unknown status is a clear error."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compacts.actors.testing import organisation_for_tests
from compacts.core.exceptions import ApplicationError
from compacts.network import selectors
from compacts.network.models import NetworkMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(db):
    """Five members: two current (one of the Executive Committee), one whose recorded departure
    is still ahead (current until then), two former (one of the Executive Committee)."""
    today = timezone.localdate()

    def add(name, **values):
        return NetworkMember.objects.create(
            organisation=organisation_for_tests(name=name), **values
        )

    return {
        "current": add("Alpha", is_executive_committee=True),
        "current_2": add("Bravo"),
        "leaving": add("Charlie", left_on=today + datetime.timedelta(days=10)),
        "former_old": add("Delta", left_on=datetime.date(2020, 1, 1)),
        "former_new": add(
            "Echo", left_on=today - datetime.timedelta(days=1), is_executive_committee=True
        ),
    }


def _names(queryset) -> list[str]:
    return [member.organisation.name for member in queryset]


class TestNetworkMemberList:
    def test_current_members_by_name(self, members):
        assert _names(selectors.network_member_list()) == ["Alpha", "Bravo", "Charlie"]

    def test_former_members_latest_departure_first(self, members):
        assert _names(selectors.network_member_list(status="former")) == ["Echo", "Delta"]

    def test_all_members(self, members):
        assert _names(selectors.network_member_list(status="all")) == [
            "Alpha",
            "Bravo",
            "Charlie",
            "Delta",
            "Echo",
        ]

    def test_on_a_given_day(self, members):
        """On the day a member leaves it is a former member; the day before, a current one."""
        day = members["leaving"].left_on
        assert "Charlie" in _names(selectors.network_member_list(status="former", on=day))
        before = day - datetime.timedelta(days=1)
        assert "Charlie" in _names(selectors.network_member_list(on=before))
        assert _names(selectors.network_member_list(on=datetime.date(2019, 12, 31))) == [
            "Alpha",
            "Bravo",
            "Charlie",
            "Delta",
            "Echo",
        ]

    def test_the_executive_committee_counts_only_current_members(self, members):
        assert _names(selectors.network_member_list(executive_committee=True)) == ["Alpha"]
        assert _names(selectors.network_member_list(executive_committee=False)) == [
            "Bravo",
            "Charlie",
        ]
        assert _names(selectors.network_member_list(status="former", executive_committee=True)) == [
            "Echo"
        ]

    def test_an_unknown_status_is_a_clear_error(self, members):
        with pytest.raises(ApplicationError, match="Unknown member status: gone.") as raised:
            selectors.network_member_list(status="gone")
        assert raised.value.extra == {"field": "status"}

    def test_the_list_loads_organisations_in_the_same_query(self, members):
        with CaptureQueriesContext(connection) as queries:
            _names(selectors.network_member_list(status="all"))
        assert len(queries) == 1


class TestNetworkMemberCounts:
    def test_counts_in_one_query(self, members):
        with CaptureQueriesContext(connection) as queries:
            counts = selectors.network_member_counts()
        assert counts == {"current": 3, "executive_committee": 1, "former": 2}
        assert len(queries) == 1

    def test_counts_on_a_given_day(self, members):
        counts = selectors.network_member_counts(on=datetime.date(2019, 12, 31))
        assert counts == {"current": 5, "executive_committee": 2, "former": 0}

    def test_no_members(self, db):
        assert selectors.network_member_counts() == {
            "current": 0,
            "executive_committee": 0,
            "former": 0,
        }
