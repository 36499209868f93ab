"""The provisional reference rows of the review cycle: IMRF editions, round tables, GCR pledge
stages, kept by the Network secretariat (``services/reference_rows.py``)."""

from datetime import date

import pytest

from compacts.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from compacts.core.models import AuditRecord
from compacts.tracking.models import (
    GcrPledgeStage,
    ImrfEdition,
    NationalReview,
    RegionalCommission,
    RegionalReview,
    RoundTable,
    StakeholderRegistration,
    WrittenSubmission,
)
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


class RoundTableDeleteTests:
    def test_deleted_and_audited(self, edition, secretariat):
        """The round table and its cluster go; the audit record keeps what it was; the
        objectives stay and can join another round table."""
        table = RoundTable.objects.create(edition=edition, number=4, status="provisional")
        table.objectives.set([f.objective(1), f.objective(3)])
        services.round_table_delete(table=table, actor=secretariat)
        assert not RoundTable.objects.exists()
        record = AuditRecord.objects.get(action="tracking.round_table.delete")
        assert record.before == {
            "edition": 2026, "number": 4, "title": "", "status": "provisional",
            "source_note": "", "objectives": [1, 3],
        }  # fmt: skip
        services.round_table_create(
            edition=edition,
            data=services.RoundTableInput(number=1, objectives=[f.objective(3)]),
            actor=secretariat,
        )

    def test_only_the_secretariat(self, edition):
        table = RoundTable.objects.create(edition=edition, number=4)
        focal = f.user(roles=[("government-focal-point", f.organisation())])
        with pytest.raises(PermissionDeniedError):
            services.round_table_delete(table=table, actor=focal)
        assert RoundTable.objects.filter(pk=table.pk).exists()
        assert not AuditRecord.objects.filter(action="tracking.round_table.delete").exists()


@pytest.fixture
def commission():
    return RegionalCommission.objects.create(code="ECE", name="Economic Commission for Europe")


def review_input(**overrides) -> services.RegionalReviewInput:
    values = {"round": 2, "year": 2024, "status": "provisional"}
    return services.RegionalReviewInput(**{**values, **overrides})


class RegionalCommissionTests:
    def test_create_and_translate(self, secretariat):
        commission = services.regional_commission_create(
            data=services.RegionalCommissionInput(
                code="ESCAP", name=" Economic and Social Commission for Asia and the Pacific ",
                names={"fr": " CESAP ", "xx": "ignored"},
            ),
            actor=secretariat,
        )  # fmt: skip
        assert (commission.code, commission.names) == ("ESCAP", {"fr": "CESAP"})
        assert commission.name == "Economic and Social Commission for Asia and the Pacific"
        assert commission.status == "provisional"  # until someone confirms it
        assert AuditRecord.objects.filter(action="tracking.regional_commission.create").count()
        services.regional_commission_update(
            commission=commission,
            data=services.RegionalCommissionInput(
                name=commission.name, names={"fr": "CESAP", "ru": "ЭСКАТО"}, code="OTHER",
                status="confirmed",
            ),
            actor=secretariat,
        )  # fmt: skip
        commission.refresh_from_db()
        assert (commission.code, commission.names) == ("ESCAP", {"fr": "CESAP", "ru": "ЭСКАТО"})
        assert commission.status == "confirmed"
        update = AuditRecord.objects.get(action="tracking.regional_commission.update")
        assert (update.before["names"], update.after["names"]) == (
            {"fr": "CESAP"}, {"fr": "CESAP", "ru": "ЭСКАТО"}
        )  # fmt: skip
        assert (update.before["status"], update.after["status"]) == ("provisional", "confirmed")

    def test_unknown_status_changes_nothing(self, commission, secretariat):
        for call in (
            lambda: services.regional_commission_create(
                data=services.RegionalCommissionInput(code="ECA", name="ECA", status="sure"),
                actor=secretariat,
            ),
            lambda: services.regional_commission_update(
                commission=commission,
                data=services.RegionalCommissionInput(name="ECE", status="sure"),
                actor=secretariat,
            ),
        ):
            with pytest.raises(ApplicationError) as refused:
                call()
            assert refused.value.extra == {"field": "status"}
        assert list(RegionalCommission.objects.values_list("code", "name", "status")) == [
            ("ECE", "Economic Commission for Europe", "provisional")
        ]
        assert not AuditRecord.objects.filter(action__startswith="tracking.regional").exists()

    @pytest.mark.parametrize(
        ("code", "name", "field", "error"),
        [
            ("ece", "X", "code", ApplicationError),
            ("E", "X", "code", ApplicationError),
            ("ECE", "X", "code", ConflictError),
            ("ECA", "  ", "name", ApplicationError),
        ],
    )
    def test_bad_input_changes_nothing(self, commission, secretariat, code, name, field, error):
        with pytest.raises(error) as refused:
            services.regional_commission_create(
                data=services.RegionalCommissionInput(code=code, name=name), actor=secretariat
            )
        assert refused.value.extra == {"field": field}
        with pytest.raises(ApplicationError) as refused:
            services.regional_commission_update(
                commission=commission,
                data=services.RegionalCommissionInput(name=" "),
                actor=secretariat,
            )
        assert refused.value.extra == {"field": "name"}
        assert list(RegionalCommission.objects.values_list("code", "name")) == [
            ("ECE", "Economic Commission for Europe")
        ]
        assert not AuditRecord.objects.filter(action__startswith="tracking.regional").exists()

    def test_only_the_secretariat(self, commission):
        focal = f.user(roles=[("government-focal-point", f.organisation())])
        with pytest.raises(PermissionDeniedError):
            services.regional_commission_create(
                data=services.RegionalCommissionInput(code="ECA", name="ECA"), actor=focal
            )
        with pytest.raises(PermissionDeniedError):
            services.regional_commission_update(
                commission=commission,
                data=services.RegionalCommissionInput(name="Mine"),
                actor=focal,
            )
        assert list(RegionalCommission.objects.values_list("name", flat=True)) == [
            "Economic Commission for Europe"
        ]


class RegionalReviewTests:
    def test_create_and_confirm(self, commission, secretariat):
        """A new review is audited with its commission; confirming its date records before and
        after."""
        review = services.regional_review_create(
            commission=commission, data=review_input(place=" Geneva "), actor=secretariat
        )
        created = AuditRecord.objects.get(action="tracking.regional_review.create")
        assert created.after["commission"] == "ECE"
        assert (review.place, review.status) == ("Geneva", "provisional")
        services.regional_review_update(
            review=review,
            data=review_input(
                place="Geneva", status="confirmed", starts_on=date(2024, 3, 11),
                ends_on=date(2024, 3, 11),
            ),
            actor=secretariat,
        )  # fmt: skip
        review.refresh_from_db()
        assert (review.status, review.starts_on) == ("confirmed", date(2024, 3, 11))
        update = AuditRecord.objects.get(action="tracking.regional_review.update")
        assert (update.before["status"], update.after["status"]) == ("provisional", "confirmed")

    def test_unchanged_save_records_nothing(self, commission, secretariat):
        review = RegionalReview.objects.create(commission=commission, round=2, year=2024)
        services.regional_review_update(review=review, data=review_input(), actor=secretariat)
        assert not AuditRecord.objects.filter(action="tracking.regional_review.update").exists()

    @pytest.mark.parametrize(
        ("overrides", "field", "error"),
        [
            ({"round": 1}, "round", ConflictError),
            ({"round": 0}, "round", ApplicationError),
            ({"year": 2019}, "year", ApplicationError),
            ({"starts_on": date(2023, 3, 11)}, "starts_on", ApplicationError),
            ({"starts_on": date(2024, 3, 11), "ends_on": date(2024, 3, 10)}, "ends_on",
             ApplicationError),
            ({"ends_on": date(2024, 3, 11)}, "starts_on", ApplicationError),
            ({"status": "sure"}, "status", ApplicationError),
        ],
    )  # fmt: skip
    def test_bad_input_changes_nothing(self, commission, secretariat, overrides, field, error):
        """Each refusal names its field; the review keeps its values."""
        RegionalReview.objects.create(commission=commission, round=1, year=2020)
        review = RegionalReview.objects.create(commission=commission, round=2, year=2024)
        with pytest.raises(error) as refused:
            services.regional_review_update(
                review=review, data=review_input(**overrides), actor=secretariat
            )
        assert refused.value.extra["field"] == field
        review.refresh_from_db()
        assert (review.round, review.year, review.starts_on, review.status) == (
            2, 2024, None, "provisional"
        )  # fmt: skip
        assert not AuditRecord.objects.filter(action="tracking.regional_review.update").exists()

    def test_round_taken_when_creating(self, commission, secretariat):
        RegionalReview.objects.create(commission=commission, round=2, year=2024)
        with pytest.raises(ConflictError, match="ECE already has a review in round 2."):
            services.regional_review_create(
                commission=commission, data=review_input(), actor=secretariat
            )
        assert RegionalReview.objects.count() == 1

    def test_only_the_secretariat(self, commission):
        review = RegionalReview.objects.create(commission=commission, round=2, year=2024)
        with pytest.raises(PermissionDeniedError):
            services.regional_review_create(
                commission=commission, data=review_input(round=3, year=2028), actor=f.user()
            )
        with pytest.raises(PermissionDeniedError):
            services.regional_review_update(
                review=review, data=review_input(status="confirmed"), actor=f.user()
            )
        review.refresh_from_db()
        assert review.status == "provisional"
        assert RegionalReview.objects.count() == 1


class RegionalCommissionDeleteTests:
    def test_deleted_and_audited(self, commission, secretariat):
        """A commission without reviews goes; the audit record keeps what it was."""
        commission.names = {"fr": "CEE"}
        commission.save()
        services.regional_commission_delete(commission=commission, actor=secretariat)
        assert not RegionalCommission.objects.exists()
        record = AuditRecord.objects.get(action="tracking.regional_commission.delete")
        assert record.before == {
            "code": "ECE", "name": "Economic Commission for Europe", "names": {"fr": "CEE"},
            "status": "provisional",
        }  # fmt: skip
        assert record.after is None

    def test_refused_while_it_has_reviews(self, commission, secretariat):
        """A commission with regional reviews stays, with its reviews; nothing is audited."""
        RegionalReview.objects.create(commission=commission, round=1, year=2020)
        RegionalReview.objects.create(commission=commission, round=2, year=2024)
        with pytest.raises(ConflictError) as refused:
            services.regional_commission_delete(commission=commission, actor=secretariat)
        assert refused.value.message == (
            "The commission ECE cannot be deleted: it is referred to by 2 regional reviews. "
            "Delete or move those first; nothing was deleted."
        )
        assert refused.value.extra == {"dependents": {"RegionalReview": 2}}
        assert RegionalCommission.objects.filter(pk=commission.pk).exists()
        assert RegionalReview.objects.count() == 2
        assert not AuditRecord.objects.filter(action__endswith=".delete").exists()

    def test_only_the_secretariat(self, commission):
        focal = f.user(roles=[("government-focal-point", f.organisation())])
        with pytest.raises(PermissionDeniedError):
            services.regional_commission_delete(commission=commission, actor=focal)
        assert RegionalCommission.objects.filter(pk=commission.pk).exists()
        assert not AuditRecord.objects.filter(action__endswith=".delete").exists()


class RegionalReviewDeleteTests:
    @pytest.fixture
    def review(self, commission):
        return RegionalReview.objects.create(
            commission=commission, round=2, year=2024, place="Geneva", status="confirmed"
        )

    def test_deleted_and_audited(self, commission, review, secretariat):
        """A review nothing refers to goes; its commission stays and can then be deleted."""
        services.regional_review_delete(review=review, actor=secretariat)
        assert not RegionalReview.objects.exists()
        record = AuditRecord.objects.get(action="tracking.regional_review.delete")
        assert record.before == {
            "commission": "ECE", "round": 2, "year": 2024, "starts_on": None, "ends_on": None,
            "place": "Geneva", "status": "confirmed", "source_note": "",
        }  # fmt: skip
        services.regional_commission_delete(commission=commission, actor=secretariat)
        assert not RegionalCommission.objects.exists()

    @pytest.mark.parametrize(
        ("make", "dependents", "words"),
        [
            (
                lambda review, organisation: NationalReview.objects.create(
                    country=f.country(), title="Voluntary review", regional_review=review
                ),
                {"NationalReview": 1},
                "1 national review",
            ),
            (
                lambda review, organisation: StakeholderRegistration.objects.bulk_create(
                    StakeholderRegistration(
                        regional_review=review, organisation=organisation,
                        participant_name=name,
                    )
                    for name in ("A. Person", "B. Person")
                ),
                {"StakeholderRegistration": 2},
                "2 stakeholder registrations",
            ),
            (
                lambda review, organisation: WrittenSubmission.objects.create(
                    regional_review=review, organisation=organisation, title="Our input"
                ),
                {"WrittenSubmission": 1},
                "1 written submission",
            ),
        ],
    )  # fmt: skip
    def test_refused_while_referred_to(self, review, secretariat, make, dependents, words):
        """A national review, a registration or a submission keeps the review: the refusal
        says which and how many; the review and what refers to it are unchanged."""
        make(review, f.organisation())
        with pytest.raises(ConflictError) as refused:
            services.regional_review_delete(review=review, actor=secretariat)
        assert refused.value.message == (
            f"The review by ECE, round 2, cannot be deleted: it is referred to by {words}. "
            "Delete or move those first; nothing was deleted."
        )
        assert refused.value.extra == {"dependents": dependents}
        review.refresh_from_db()
        assert (review.round, review.place, review.status) == (2, "Geneva", "confirmed")
        total = (
            NationalReview.objects.count()
            + StakeholderRegistration.objects.count()
            + WrittenSubmission.objects.count()
        )
        assert total == sum(dependents.values())
        assert not AuditRecord.objects.filter(action__endswith=".delete").exists()

    def test_a_row_protected_after_the_check_is_refused_too(self, review, secretariat, monkeypatch):
        """Should something refer to the review after the check (the check passes here), the
        database's protection refuses the deletion the same way and the audit record is
        rolled back."""
        NationalReview.objects.create(
            country=f.country(), title="Voluntary review", regional_review=review
        )
        monkeypatch.setattr(services, "regional_review_delete_clean", lambda review: None)
        with pytest.raises(ConflictError) as refused:
            services.regional_review_delete(review=review, actor=secretariat)
        assert refused.value.message == "Other records still refer to it; nothing was deleted."
        assert refused.value.extra == {"dependents": {"NationalReview": 1}}
        assert RegionalReview.objects.filter(pk=review.pk).exists()
        assert not AuditRecord.objects.filter(action__endswith=".delete").exists()

    def test_only_the_secretariat(self, review):
        with pytest.raises(PermissionDeniedError):
            services.regional_review_delete(review=review, actor=f.user())
        assert RegionalReview.objects.filter(pk=review.pk).exists()
        assert not AuditRecord.objects.filter(action__endswith=".delete").exists()
