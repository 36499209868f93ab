"""Services that change and remove a network's focal points and the records of what it did, and
that change a champion country: each change audited with its before and after, a refusal for
those without the right (nothing changed), and bad input refused naming its field (nothing
changed)."""

import datetime

import pytest
from django.utils import timezone

from compacts.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from compacts.core.models import AuditRecord
from compacts.network import services
from compacts.network.models import Achievement, ChampionCountry, CountryNetwork, FocalPoint
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):
    return CountryNetwork.objects.create(
        kind="country", name="Zambia network", country=factories.CountryFactory(iso2="ZM")
    )


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


class TestFocalPointUpdate:
    def test_changes_the_focal_point_and_audits_before_and_after(
        self, secretariat, focal_point, outsider
    ):
        """Name, email and account change; the audit record keeps the old and new values."""
        services.focal_point_update(
            actor=secretariat,
            focal_point=focal_point,
            organisation=focal_point.organisation,
            name=" Ana Phiri Banda ",
            email="ana@example.org",
            user=outsider,
        )
        focal_point.refresh_from_db()
        assert (focal_point.name, focal_point.email, focal_point.user) == (
            "Ana Phiri Banda",
            "ana@example.org",
            outsider,
        )
        record = AuditRecord.objects.get(action="network.focal_point.update")
        assert record.before["name"] == "Ana Phiri"
        assert record.after["name"] == "Ana Phiri Banda"
        assert record.after["user"] == outsider.pk

    def test_a_linked_focal_point_keeps_her_own_record(self, secretariat, focal_point, outsider):
        """Once her account is linked, the focal point may change the network's focal points."""
        focal_point.user = outsider
        focal_point.save()
        services.focal_point_update(
            actor=outsider,
            focal_point=focal_point,
            organisation=focal_point.organisation,
            name="Ana",
            user=outsider,
        )
        focal_point.refresh_from_db()
        assert focal_point.name == "Ana"

    def test_someone_else_is_refused(self, submitter, focal_point):
        with pytest.raises(PermissionDeniedError):
            services.focal_point_update(
                actor=submitter,
                focal_point=focal_point,
                organisation=focal_point.organisation,
                name="Mine",
            )
        focal_point.refresh_from_db()
        assert focal_point.name == "Ana Phiri"

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"name": "  "}, "name"),
            ({"name": "x" * 201}, "name"),
            ({"email": "not-an-address"}, "email"),
            ({"organisation": None}, "organisation"),
        ],
    )
    def test_bad_input_names_its_field_and_changes_nothing(
        self, secretariat, focal_point, changes, field
    ):
        arguments = {"organisation": focal_point.organisation, "name": "Ana", "email": ""}
        arguments.update(changes)
        with pytest.raises(ApplicationError) as raised:
            services.focal_point_update(actor=secretariat, focal_point=focal_point, **arguments)
        assert raised.value.extra == {"field": field}
        focal_point.refresh_from_db()
        assert (focal_point.name, focal_point.email) == ("Ana Phiri", "")
        assert not AuditRecord.objects.filter(action="network.focal_point.update").exists()


class TestFocalPointRemove:
    def test_removes_and_audits_what_she_was(self, secretariat, focal_point, network):
        services.focal_point_remove(actor=secretariat, focal_point=focal_point)
        assert not FocalPoint.objects.exists()
        record = AuditRecord.objects.get(action="network.focal_point.delete")
        assert record.before["name"] == "Ana Phiri"
        assert record.before["network"] == network.pk
        assert record.after in (None, {})

    def test_someone_else_is_refused(self, submitter, focal_point):
        with pytest.raises(PermissionDeniedError):
            services.focal_point_remove(actor=submitter, focal_point=focal_point)
        assert FocalPoint.objects.filter(pk=focal_point.pk).exists()
        assert not AuditRecord.objects.filter(action="network.focal_point.delete").exists()

    def test_removing_twice_is_a_clear_not_found(self, secretariat, focal_point):
        stale = FocalPoint.objects.get(pk=focal_point.pk)
        services.focal_point_remove(actor=secretariat, focal_point=focal_point)
        with pytest.raises(NotFoundError, match="This record has already been removed."):
            services.focal_point_remove(actor=secretariat, focal_point=stale)
        assert AuditRecord.objects.filter(action="network.focal_point.delete").count() == 1


class TestAchievementUpdate:
    def test_changes_the_record_and_audits_before_and_after(self, secretariat, achievement):
        services.achievement_update(
            actor=secretariat,
            achievement=achievement,
            kind="concept-note",
            title=" Concept note submitted ",
            happened_on=datetime.date(2022, 6, 1),
            reference="CN-2022-01",
        )
        achievement.refresh_from_db()
        assert (
            achievement.kind,
            achievement.title,
            achievement.people_trained,
            achievement.reference,
        ) == ("concept-note", "Concept note submitted", None, "CN-2022-01")
        record = AuditRecord.objects.get(action="network.achievement.update")
        assert record.before["people_trained"] == 30
        assert record.after["people_trained"] is None
        assert record.after["happened_on"] == "2022-06-01"

    def test_someone_else_is_refused(self, submitter, achievement):
        with pytest.raises(PermissionDeniedError):
            services.achievement_update(
                actor=submitter,
                achievement=achievement,
                kind="training",
                title="Mine",
                happened_on=datetime.date(2022, 5, 1),
            )
        achievement.refresh_from_db()
        assert achievement.title == "Officials trained"

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"kind": "party"}, "kind"),
            ({"title": " "}, "title"),
            ({"happened_on": None}, "happened_on"),
            ({"happened_on": "future"}, "happened_on"),
            ({"people_trained": -1}, "people_trained"),
            ({"reference": "r" * 201}, "reference"),
        ],
    )
    def test_bad_input_names_its_field_and_changes_nothing(
        self, secretariat, achievement, changes, field
    ):
        arguments = {
            "kind": "training",
            "title": "Changed",
            "happened_on": datetime.date(2022, 1, 1),
            "people_trained": 5,
        }
        arguments.update(changes)
        if arguments["happened_on"] == "future":
            arguments["happened_on"] = timezone.localdate() + datetime.timedelta(days=1)
        with pytest.raises(ApplicationError) as raised:
            services.achievement_update(actor=secretariat, achievement=achievement, **arguments)
        assert raised.value.extra == {"field": field}
        achievement.refresh_from_db()
        assert (achievement.title, achievement.people_trained) == ("Officials trained", 30)
        assert not AuditRecord.objects.filter(action="network.achievement.update").exists()


class TestAchievementRemove:
    def test_removes_and_audits_it(self, secretariat, achievement):
        services.achievement_remove(actor=secretariat, achievement=achievement)
        assert not Achievement.objects.exists()
        record = AuditRecord.objects.get(action="network.achievement.delete")
        assert record.before["title"] == "Officials trained"
        assert record.before["people_trained"] == 30

    def test_someone_else_is_refused(self, submitter, achievement):
        with pytest.raises(PermissionDeniedError):
            services.achievement_remove(actor=submitter, achievement=achievement)
        assert Achievement.objects.filter(pk=achievement.pk).exists()


class TestChampionCountryUpdate:
    @pytest.fixture
    def champion(self, secretariat):
        return services.champion_country_add(
            actor=secretariat, country=factories.CountryFactory(iso2="KE", name="Kenya")
        )

    def test_changes_the_date_and_source(self, secretariat, champion):
        services.champion_country_update(
            actor=secretariat,
            champion=champion,
            since=datetime.date(2021, 6, 1),
            source=" Network annual report ",
        )
        champion.refresh_from_db()
        assert (champion.since, champion.source) == (
            datetime.date(2021, 6, 1),
            "Network annual report",
        )
        record = AuditRecord.objects.get(action="network.champion.update")
        assert record.before["since"] is None
        assert record.after["since"] == "2021-06-01"

    def test_refusals_change_nothing(self, submitter, secretariat, champion):
        with pytest.raises(PermissionDeniedError):
            services.champion_country_update(
                actor=submitter, champion=champion, since=datetime.date(2021, 6, 1)
            )
        with pytest.raises(ApplicationError) as raised:
            services.champion_country_update(
                actor=secretariat,
                champion=champion,
                since=timezone.localdate() + datetime.timedelta(days=3),
            )
        assert raised.value.extra == {"field": "since"}
        with pytest.raises(ApplicationError) as too_long:
            services.champion_country_update(actor=secretariat, champion=champion, source="s" * 301)
        assert too_long.value.extra == {"field": "source"}
        champion.refresh_from_db()
        assert (champion.since, champion.source) == (None, "")
        assert ChampionCountry.objects.count() == 1
