"""The provisional reference rows of the review cycle: IMRF editions, round tables, GCR pledge
stages, kept by the Network secretariat (``services/reference_rows.py``)."""

from datetime import date

import pytest

from compacts.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from compacts.core.models import AuditRecord
from compacts.tracking.models import GcrPledgeStage, ImrfEdition, RoundTable
from compacts.tracking.services import reference_rows as services
from compacts.tracking.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return f.secretariat_user()


@pytest.fixture
def edition():
    return ImrfEdition.objects.create(year=2026, title="IMRF 2026", status="provisional")


def edition_input(**overrides) -> services.ImrfEditionInput:
    values = {"year": 2026, "title": "International Migration Review Forum 2026",
              "status": "provisional"}  # fmt: skip
    return services.ImrfEditionInput(**{**values, **overrides})


class ImrfEditionTests:
    def test_create_and_confirm(self, secretariat):
        """A new edition is audited; confirming its dates later records before and after."""
        edition = services.imrf_edition_create(
            data=edition_input(year=2030, title="IMRF 2030"), actor=secretariat
        )
        assert AuditRecord.objects.filter(action="tracking.imrf_edition.create").count() == 1
        services.imrf_edition_update(
            edition=edition,
            data=edition_input(
                year=2030, title="IMRF 2030", status="confirmed", starts_on=date(2030, 5, 6),
                ends_on=date(2030, 5, 9), place=" UNHQ ",
            ),
            actor=secretariat,
        )  # fmt: skip
        edition.refresh_from_db()
        assert (edition.status, edition.place, edition.ends_on) == (
            "confirmed", "UNHQ", date(2030, 5, 9)
        )  # fmt: skip
        update = AuditRecord.objects.get(action="tracking.imrf_edition.update")
        assert update.before["status"] == "provisional"
        assert update.after["status"] == "confirmed"

    def test_unchanged_save_records_nothing(self, edition, secretariat):
        services.imrf_edition_update(
            edition=edition, data=edition_input(title="IMRF 2026"), actor=secretariat
        )
        assert not AuditRecord.objects.filter(action="tracking.imrf_edition.update").exists()

    @pytest.mark.parametrize(
        ("overrides", "field", "error"),
        [
            ({"year": 2022}, "year", ConflictError),
            ({"year": 2019}, "year", ApplicationError),
            ({"title": "  "}, "title", ApplicationError),
            ({"starts_on": date(2026, 5, 9), "ends_on": date(2026, 5, 6)}, "ends_on",
             ApplicationError),
            ({"ends_on": date(2026, 5, 6)}, "starts_on", ApplicationError),
            ({"status": "certain"}, "status", ApplicationError),
        ],
    )  # fmt: skip
    def test_bad_input_changes_nothing(self, edition, secretariat, overrides, field, error):
        """Each refusal names its field; the edition keeps its values."""
        ImrfEdition.objects.create(year=2022, title="IMRF 2022")
        with pytest.raises(error) as refused:
            services.imrf_edition_update(
                edition=edition, data=edition_input(**overrides), actor=secretariat
            )
        assert refused.value.extra["field"] == field
        edition.refresh_from_db()
        assert (edition.year, edition.title, edition.starts_on) == (2026, "IMRF 2026", None)
        assert not AuditRecord.objects.filter(action="tracking.imrf_edition.update").exists()

    def test_only_the_secretariat(self, edition):
        focal = f.user(roles=[("government-focal-point", f.organisation())])
        with pytest.raises(PermissionDeniedError):
            services.imrf_edition_create(data=edition_input(year=2030), actor=focal)
        with pytest.raises(PermissionDeniedError):
            services.imrf_edition_update(
                edition=edition, data=edition_input(status="confirmed"), actor=focal
            )
        assert ImrfEdition.objects.get().status == "provisional"


class RoundTableTests:
    @pytest.fixture
    def objectives(self):
        return {n: f.objective(n) for n in (1, 2, 3, 5)}

    def test_clusters_share_no_objective(self, edition, secretariat, objectives):
        """An objective already reviewed by another round table of the forum is refused, named
        with its round table; once removed there, it can move."""
        first = services.round_table_create(
            edition=edition,
            data=services.RoundTableInput(number=1, objectives=[objectives[2], objectives[5]]),
            actor=secretariat,
        )
        assert AuditRecord.objects.get(action="tracking.round_table.create").after[
            "objectives"
        ] == [2, 5]
        with pytest.raises(ApplicationError) as refused:
            services.round_table_create(
                edition=edition,
                data=services.RoundTableInput(number=2, objectives=[objectives[1], objectives[5]]),
                actor=secretariat,
            )
        assert (
            refused.value.message == "Already in another round table: objective 5 (round table 1)."
        )
        assert refused.value.extra == {"field": "objectives"}
        assert RoundTable.objects.count() == 1
        services.round_table_update(
            table=first,
            data=services.RoundTableInput(number=1, objectives=[objectives[2]], status="confirmed"),
            actor=secretariat,
        )
        services.round_table_create(
            edition=edition,
            data=services.RoundTableInput(number=2, objectives=[objectives[1], objectives[5]]),
            actor=secretariat,
        )
        update = AuditRecord.objects.get(action="tracking.round_table.update")
        assert (update.before["objectives"], update.after["objectives"]) == ([2, 5], [2])

    def test_bad_input_changes_nothing(self, edition, secretariat, objectives):
        table = services.round_table_create(
            edition=edition,
            data=services.RoundTableInput(number=1, objectives=[objectives[1]]),
            actor=secretariat,
        )
        services.round_table_create(
            edition=edition,
            data=services.RoundTableInput(number=2, objectives=[objectives[2]]),
            actor=secretariat,
        )
        for data, field in [
            (services.RoundTableInput(number=2, objectives=[objectives[3]]), "number"),
            (services.RoundTableInput(number=0, objectives=[objectives[3]]), "number"),
            (services.RoundTableInput(number=1, objectives=[]), "objectives"),
        ]:
            with pytest.raises(ApplicationError) as refused:
                services.round_table_update(table=table, data=data, actor=secretariat)
            assert refused.value.extra["field"] == field
        table.refresh_from_db()
        assert table.number == 1
        assert list(table.objectives.values_list("number", flat=True)) == [1]

    def test_only_the_secretariat(self, edition, objectives):
        with pytest.raises(PermissionDeniedError):
            services.round_table_create(
                edition=edition,
                data=services.RoundTableInput(number=1, objectives=[objectives[1]]),
                actor=f.user(),
            )
        assert not RoundTable.objects.exists()


class GcrPledgeStageTests:
    def test_create_and_translate(self, secretariat):
        stage = services.gcr_pledge_stage_create(
            data=services.GcrPledgeStageInput(
                code="on-hold", name="On hold", sort_order=25, names={"fr": " En attente "}
            ),
            actor=secretariat,
        )
        assert (stage.code, stage.names, stage.status) == (
            "on-hold", {"fr": "En attente"}, "provisional"
        )  # fmt: skip
        services.gcr_pledge_stage_update(
            stage=stage,
            data=services.GcrPledgeStageInput(
                name="Paused", sort_order=25, status="confirmed",
                names={"fr": "En pause", "es": "En pausa", "zh-hans": "", "xx": "ignored"},
                code="renamed",
            ),
            actor=secretariat,
        )  # fmt: skip
        stage.refresh_from_db()
        assert (stage.code, stage.name, stage.names, stage.status) == (
            "on-hold", "Paused", {"fr": "En pause", "es": "En pausa"}, "confirmed"
        )  # fmt: skip
        update = AuditRecord.objects.get(action="tracking.gcr_pledge_stage.update")
        assert update.before["names"] == {"fr": "En attente"}

    @pytest.mark.parametrize(
        ("code", "field"), [("In Progress", "code"), ("planning", "code"), ("", "code")]
    )
    def test_bad_code(self, secretariat, code, field):
        GcrPledgeStage.objects.create(code="planning", name="Planning stage")
        with pytest.raises(ApplicationError) as refused:
            services.gcr_pledge_stage_create(
                data=services.GcrPledgeStageInput(code=code, name="X"), actor=secretariat
            )
        assert refused.value.extra["field"] == field
        assert GcrPledgeStage.objects.count() == 1

    def test_bad_input_and_permission_change_nothing(self, secretariat):
        stage = GcrPledgeStage.objects.create(code="planning", name="Planning stage")
        with pytest.raises(ApplicationError) as refused:
            services.gcr_pledge_stage_update(
                stage=stage, data=services.GcrPledgeStageInput(name=" "), actor=secretariat
            )
        assert refused.value.extra["field"] == "name"
        with pytest.raises(ApplicationError) as refused:
            services.gcr_pledge_stage_update(
                stage=stage,
                data=services.GcrPledgeStageInput(name="Planning", sort_order=-1),
                actor=secretariat,
            )
        assert refused.value.extra["field"] == "sort_order"
        with pytest.raises(PermissionDeniedError):
            services.gcr_pledge_stage_update(
                stage=stage, data=services.GcrPledgeStageInput(name="Mine"), actor=f.user()
            )
        stage.refresh_from_db()
        assert (stage.name, stage.sort_order) == ("Planning stage", 0)
