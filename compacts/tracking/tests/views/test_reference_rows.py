"""The Secretariat's pages for the review cycle's provisional reference rows: IMRF editions,
round tables, GCR pledge stages. Who may use them, that they say the values are provisional and
editable, what they store and audit, and that a refused form keeps what was typed, names the
problem and changes nothing."""

import pytest
from django.test import Client

from compacts.core.models import AuditRecord
from compacts.tracking.models import (
    GcrPledgeStage,
    ImrfEdition,
    NationalReview,
    RegionalCommission,
    RegionalReview,
    RoundTable,
)
from compacts.tracking.tests import factories as f

pytestmark = pytest.mark.django_db

LIST = "/tracking/review-cycle/reference/"


@pytest.fixture
def secretariat():
    return f.secretariat_user()


@pytest.fixture
def rows():
    edition = ImrfEdition.objects.create(year=2022, title="IMRF 2022", status="confirmed")
    table = RoundTable.objects.create(edition=edition, number=4, status="provisional")
    table.objectives.set([f.objective(1), f.objective(3)])
    f.objective(7)
    stage = GcrPledgeStage.objects.create(code="planning", name="Planning stage", sort_order=10)
    return {"edition": edition, "table": table, "stage": stage}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class ListTests:
    def test_secretariat_sees_every_row_with_its_status(self, rows, secretariat):
        page = client_for(secretariat).get(LIST).content.decode()
        assert "Editable reference data, partly provisional" in page
        assert f"/tracking/review-cycle/reference/imrf/{rows['edition'].pk}/edit/" in page
        assert f"/tracking/review-cycle/reference/round-tables/{rows['table'].pk}/edit/" in page
        assert f"/tracking/review-cycle/reference/gcr-stages/{rows['stage'].pk}/edit/" in page
        assert page.count('data-status="provisional"') == 2  # round table 4 and the stage
        assert page.count('data-status="confirmed"') == 1
        cycle = client_for(secretariat).get("/tracking/review-cycle/").content.decode()
        assert f'href="{LIST}"' in cycle

    def test_others_are_refused(self, rows):
        focal = f.user(roles=[("government-focal-point", f.organisation())])
        assert client_for(focal).get(LIST).status_code == 403
        assert Client().get(LIST).status_code == 302  # to sign in
        assert f'href="{LIST}"' not in Client().get("/tracking/review-cycle/").content.decode()


class EditionPageTests:
    def test_create_and_edit(self, rows, secretariat):
        client = client_for(secretariat)
        page = client.get("/tracking/review-cycle/reference/imrf/new/").content.decode()
        assert "Editable reference data, partly provisional" in page
        response = client.post(
            "/tracking/review-cycle/reference/imrf/new/",
            {"year": "2026", "title": "IMRF 2026", "status": "provisional"},
        )
        assert response.status_code == 302
        assert response["Location"] == LIST
        url = f"/tracking/review-cycle/reference/imrf/{rows['edition'].pk}/edit/"
        assert 'value="IMRF 2022"' in client.get(url).content.decode()
        response = client.post(
            url,
            {"year": "2022", "title": "IMRF 2022", "starts_on": "2022-05-17",
             "ends_on": "2022-05-20", "place": "UNHQ", "status": "confirmed"},
        )  # fmt: skip
        assert response.status_code == 302
        rows["edition"].refresh_from_db()
        assert rows["edition"].place == "UNHQ"
        assert AuditRecord.objects.filter(action="tracking.imrf_edition.update").count() == 1

    def test_bad_input_changes_nothing(self, rows, secretariat):
        """A year another forum has: 400, named next to the field, the title kept."""
        ImrfEdition.objects.create(year=2026, title="IMRF 2026")
        url = f"/tracking/review-cycle/reference/imrf/{rows['edition'].pk}/edit/"
        response = client_for(secretariat).post(
            url, {"year": "2026", "title": "Renamed", "status": "confirmed"}
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is already an IMRF in 2026." in page
        assert 'href="#id_year"' in page
        assert 'value="Renamed"' in page
        rows["edition"].refresh_from_db()
        assert (rows["edition"].year, rows["edition"].title) == (2022, "IMRF 2022")

    def test_others_are_refused(self, rows):
        client = client_for(f.user(roles=[("stakeholder-contributor", f.organisation())]))
        url = f"/tracking/review-cycle/reference/imrf/{rows['edition'].pk}/edit/"
        assert client.get(url).status_code == 403
        response = client.post(url, {"year": "2022", "title": "Mine", "status": "confirmed"})
        assert response.status_code == 403
        assert client.get("/tracking/review-cycle/reference/imrf/new/").status_code == 403
        assert ImrfEdition.objects.get().title == "IMRF 2022"


class RoundTablePageTests:
    def test_create_and_edit(self, rows, secretariat):
        client = client_for(secretariat)
        edition = rows["edition"]
        create = f"/tracking/review-cycle/reference/imrf/{edition.pk}/round-tables/new/"
        assert 'value="5"' in client.get(create).content.decode()  # the next number
        response = client.post(
            create, {"number": "1", "objectives": [f.objective(7).pk], "status": "confirmed"}
        )
        assert response.status_code == 302
        assert list(
            edition.round_tables.get(number=1).objectives.values_list("number", flat=True)
        ) == [7]
        url = f"/tracking/review-cycle/reference/round-tables/{rows['table'].pk}/edit/"
        response = client.post(
            url, {"number": "4", "objectives": [f.objective(1).pk], "status": "confirmed"}
        )
        assert response.status_code == 302
        rows["table"].refresh_from_db()
        assert rows["table"].status == "confirmed"
        assert list(rows["table"].objectives.values_list("number", flat=True)) == [1]

    def test_overlap_is_refused(self, rows, secretariat):
        """An objective of round table 4 given to a new round table: 400, named, not stored."""
        create = f"/tracking/review-cycle/reference/imrf/{rows['edition'].pk}/round-tables/new/"
        response = client_for(secretariat).post(
            create,
            {"number": "1", "objectives": [f.objective(3).pk], "status": "provisional",
             "title": "Cluster 1"},
        )  # fmt: skip
        assert response.status_code == 400
        page = response.content.decode()
        assert "objective 3 (round table 4)" in page
        assert 'href="#id_objectives"' in page
        assert 'value="Cluster 1"' in page
        assert RoundTable.objects.count() == 1

    def test_others_are_refused(self, rows):
        client = client_for(f.user())
        url = f"/tracking/review-cycle/reference/round-tables/{rows['table'].pk}/edit/"
        response = client.post(url, {"number": "9", "objectives": [], "status": "confirmed"})
        assert response.status_code == 403
        assert RoundTable.objects.get().number == 4


class StagePageTests:
    def test_create_and_edit(self, rows, secretariat):
        client = client_for(secretariat)
        response = client.post(
            "/tracking/review-cycle/reference/gcr-stages/new/",
            {"code": "on-hold", "name": "On hold", "name_fr": "En attente", "sort_order": "15",
             "status": "provisional"},
        )  # fmt: skip
        assert response.status_code == 302
        assert GcrPledgeStage.objects.get(code="on-hold").names == {"fr": "En attente"}
        url = f"/tracking/review-cycle/reference/gcr-stages/{rows['stage'].pk}/edit/"
        page = client.get(url).content.decode()
        assert 'name="code"' not in page  # the code is fixed
        response = client.post(
            url,
            {"name": "Planning", "name_ar": "التخطيط", "sort_order": "10", "status": "confirmed"},
        )
        assert response.status_code == 302
        rows["stage"].refresh_from_db()
        assert (rows["stage"].name, rows["stage"].names) == ("Planning", {"ar": "التخطيط"})

    def test_bad_code_changes_nothing(self, rows, secretariat):
        response = client_for(secretariat).post(
            "/tracking/review-cycle/reference/gcr-stages/new/",
            {"code": "On Hold", "name": "On hold", "sort_order": "15", "status": "provisional"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert 'href="#id_code"' in page
        assert 'value="On hold"' in page
        assert GcrPledgeStage.objects.count() == 1

    def test_others_are_refused(self, rows):
        client = client_for(f.user(roles=[("network-secretariat", f.organisation())]))
        assert client.get(LIST).status_code == 200  # any secretariat member
        outsider = client_for(f.user())
        url = f"/tracking/review-cycle/reference/gcr-stages/{rows['stage'].pk}/edit/"
        response = outsider.post(url, {"name": "Mine", "sort_order": "1", "status": "confirmed"})
        assert response.status_code == 403
        assert GcrPledgeStage.objects.get().name == "Planning stage"


class RefusalTests:
    """The service's refusals on the other forms: named next to the field, nothing stored."""

    def test_new_edition_with_a_taken_year(self, rows, secretariat):
        response = client_for(secretariat).post(
            "/tracking/review-cycle/reference/imrf/new/",
            {"year": "2022", "title": "Again", "status": "provisional"},
        )
        assert response.status_code == 400
        assert "There is already an IMRF in 2022." in response.content.decode()
        assert ImrfEdition.objects.count() == 1

    def test_round_table_renumbered_onto_another(self, rows, secretariat):
        RoundTable.objects.create(edition=rows["edition"], number=3).objectives.set(
            [f.objective(7)]
        )
        url = f"/tracking/review-cycle/reference/round-tables/{rows['table'].pk}/edit/"
        response = client_for(secretariat).post(
            url, {"number": "3", "objectives": [f.objective(1).pk], "status": "confirmed"}
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "IMRF 2022 already has a round table 3." in page
        assert 'href="#id_number"' in page
        rows["table"].refresh_from_db()
        assert (rows["table"].number, rows["table"].status) == (4, "provisional")

    def test_stage_with_a_negative_order(self, rows, secretariat):
        url = f"/tracking/review-cycle/reference/gcr-stages/{rows['stage'].pk}/edit/"
        response = client_for(secretariat).post(
            url, {"name": "Planning", "sort_order": "-5", "status": "confirmed"}
        )
        assert response.status_code == 400
        assert 'href="#id_sort_order"' in response.content.decode()
        rows["stage"].refresh_from_db()
        assert (rows["stage"].name, rows["stage"].sort_order) == ("Planning stage", 10)

    @pytest.mark.parametrize(
        "url",
        [
            "/tracking/review-cycle/reference/imrf/999/edit/",
            "/tracking/review-cycle/reference/imrf/999/round-tables/new/",
            "/tracking/review-cycle/reference/round-tables/999/edit/",
            "/tracking/review-cycle/reference/gcr-stages/999/edit/",
            "/tracking/review-cycle/reference/round-tables/999/delete/",
            "/tracking/review-cycle/reference/commissions/999/edit/",
            "/tracking/review-cycle/reference/commissions/999/reviews/new/",
            "/tracking/review-cycle/reference/regional-reviews/999/edit/",
            "/tracking/review-cycle/reference/commissions/999/delete/",
            "/tracking/review-cycle/reference/regional-reviews/999/delete/",
        ],
    )
    def test_unknown_rows(self, secretariat, url):
        assert client_for(secretariat).get(url).status_code == 404


class RoundTableDeleteTests:
    def test_confirm_then_delete(self, rows, secretariat):
        """The list links to a confirmation page (what it is, and that its objectives are left
        without a round table); only the POST deletes, audited."""
        client = client_for(secretariat)
        url = f"/tracking/review-cycle/reference/round-tables/{rows['table'].pk}/delete/"
        assert f'href="{url}"' in client.get(LIST).content.decode()
        page = client.get(url).content.decode()
        assert "Delete round table 4 of IMRF 2022?" in page
        assert "1, 3" in page
        assert 'name="csrfmiddlewaretoken"' in page
        assert RoundTable.objects.count() == 1
        response = client.post(url, follow=True)
        assert response.redirect_chain[-1][0] == LIST
        assert "Round table 4 of IMRF 2022 is deleted." in response.content.decode()
        assert not RoundTable.objects.exists()
        record = AuditRecord.objects.get(action="tracking.round_table.delete")
        assert record.before["objectives"] == [1, 3]

    def test_csrf_is_required(self, rows, secretariat):
        client = Client(enforce_csrf_checks=True)
        client.force_login(secretariat)
        url = f"/tracking/review-cycle/reference/round-tables/{rows['table'].pk}/delete/"
        assert client.post(url).status_code == 403
        assert RoundTable.objects.count() == 1

    def test_others_are_refused(self, rows):
        url = f"/tracking/review-cycle/reference/round-tables/{rows['table'].pk}/delete/"
        client = client_for(f.user(roles=[("government-focal-point", f.organisation())]))
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
        assert Client().post(url).status_code == 302  # to sign in
        assert RoundTable.objects.count() == 1
        assert not AuditRecord.objects.filter(action="tracking.round_table.delete").exists()


@pytest.fixture
def regional():
    commission = RegionalCommission.objects.create(
        code="ECE", name="Economic Commission for Europe", names={"fr": "Commission économique"}
    )
    review = RegionalReview.objects.create(
        commission=commission, round=2, year=2024, place="Geneva", status="provisional"
    )
    return {"commission": commission, "review": review}


class RegionalPageTests:
    def test_listed_with_status_and_links(self, regional, secretariat):
        client = client_for(secretariat)
        page = client.get(LIST).content.decode()
        commission, review = regional["commission"], regional["review"]
        assert "Economic Commission for Europe" in page
        assert f"/tracking/review-cycle/reference/commissions/{commission.pk}/edit/" in page
        assert f"/tracking/review-cycle/reference/commissions/{commission.pk}/reviews/new/" in page
        assert f"/tracking/review-cycle/reference/regional-reviews/{review.pk}/edit/" in page
        assert f"/tracking/review-cycle/reference/commissions/{commission.pk}/delete/" in page
        assert f"/tracking/review-cycle/reference/regional-reviews/{review.pk}/delete/" in page
        assert page.count('data-status="provisional"') == 2  # the commission and its review
        RegionalCommission.objects.filter(pk=commission.pk).update(status="confirmed")
        page = client.get(LIST).content.decode()
        assert page.count('data-status="provisional"') == 1
        assert page.count('data-status="confirmed"') == 1
        french = client.get(LIST, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        assert "Commission économique" in french

    def test_commission_create_and_edit(self, regional, secretariat):
        client = client_for(secretariat)
        new = "/tracking/review-cycle/reference/commissions/new/"
        assert "Editable reference data, partly provisional" in client.get(new).content.decode()
        assert '<option value="provisional" selected>' in client.get(new).content.decode()
        response = client.post(
            new,
            {"code": "ECA", "name": "Economic Commission for Africa", "name_fr": "CEA",
             "status": "provisional"},
        )  # fmt: skip
        assert response.status_code == 302
        eca = RegionalCommission.objects.get(code="ECA")
        assert (eca.names, eca.status) == ({"fr": "CEA"}, "provisional")
        url = f"/tracking/review-cycle/reference/commissions/{regional['commission'].pk}/edit/"
        page = client.get(url).content.decode()
        assert 'name="code"' not in page  # the code is fixed
        assert 'value="Commission économique"' in page
        response = client.post(
            url, {"name": "UN Economic Commission for Europe", "status": "confirmed"}
        )
        assert response.status_code == 302
        regional["commission"].refresh_from_db()
        assert (regional["commission"].name, regional["commission"].names) == (
            "UN Economic Commission for Europe", {}
        )  # fmt: skip
        assert regional["commission"].status == "confirmed"
        record = AuditRecord.objects.get(action="tracking.regional_commission.update")
        assert (record.before["status"], record.after["status"]) == ("provisional", "confirmed")

    def test_commission_without_status_changes_nothing(self, regional, secretariat):
        url = f"/tracking/review-cycle/reference/commissions/{regional['commission'].pk}/edit/"
        response = client_for(secretariat).post(url, {"name": "Renamed", "status": "certain"})
        assert response.status_code == 400
        assert 'href="#id_status"' in response.content.decode()
        regional["commission"].refresh_from_db()
        assert (regional["commission"].name, regional["commission"].status) == (
            "Economic Commission for Europe", "provisional"
        )  # fmt: skip

    def test_commission_bad_code_changes_nothing(self, regional, secretariat):
        response = client_for(secretariat).post(
            "/tracking/review-cycle/reference/commissions/new/",
            {"code": "ECE", "name": "Another", "status": "provisional"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is already a commission ECE." in page
        assert 'href="#id_code"' in page
        assert 'value="Another"' in page
        assert RegionalCommission.objects.count() == 1

    def test_review_create_and_edit(self, regional, secretariat):
        client = client_for(secretariat)
        commission = regional["commission"]
        new = f"/tracking/review-cycle/reference/commissions/{commission.pk}/reviews/new/"
        assert 'value="3"' in client.get(new).content.decode()  # the next round
        response = client.post(new, {"round": "3", "year": "2028", "status": "provisional"})
        assert response.status_code == 302
        assert commission.reviews.get(round=3).year == 2028
        url = f"/tracking/review-cycle/reference/regional-reviews/{regional['review'].pk}/edit/"
        assert 'value="Geneva"' in client.get(url).content.decode()
        response = client.post(
            url,
            {"round": "2", "year": "2024", "starts_on": "2024-03-11", "ends_on": "2024-03-11",
             "place": "Geneva", "status": "confirmed"},
        )  # fmt: skip
        assert response.status_code == 302
        regional["review"].refresh_from_db()
        assert regional["review"].status == "confirmed"
        record = AuditRecord.objects.get(action="tracking.regional_review.update")
        assert (record.before["status"], record.after["status"]) == ("provisional", "confirmed")

    def test_review_bad_input_changes_nothing(self, regional, secretariat):
        """A first day outside the review's year: 400, named next to the field, the place kept."""
        url = f"/tracking/review-cycle/reference/regional-reviews/{regional['review'].pk}/edit/"
        response = client_for(secretariat).post(
            url,
            {"round": "2", "year": "2024", "starts_on": "2023-03-11", "place": "Cairo",
             "status": "confirmed"},
        )  # fmt: skip
        assert response.status_code == 400
        page = response.content.decode()
        assert "The first day must be in 2024, the review&#x27;s year." in page
        assert 'href="#id_starts_on"' in page
        assert 'value="Cairo"' in page
        regional["review"].refresh_from_db()
        assert (regional["review"].place, regional["review"].status) == ("Geneva", "provisional")

    def test_others_are_refused(self, regional):
        client = client_for(f.user(roles=[("stakeholder-contributor", f.organisation())]))
        commission, review = regional["commission"], regional["review"]
        base = "/tracking/review-cycle/reference"
        for url in (
            f"{base}/commissions/new/",
            f"{base}/commissions/{commission.pk}/edit/",
            f"{base}/commissions/{commission.pk}/reviews/new/",
            f"{base}/regional-reviews/{review.pk}/edit/",
        ):
            assert client.get(url).status_code == 403
        response = client.post(
            f"{base}/regional-reviews/{review.pk}/edit/",
            {"round": "2", "year": "2024", "status": "confirmed"},
        )
        assert response.status_code == 403
        response = client.post(f"{base}/commissions/{commission.pk}/edit/", {"name": "Mine"})
        assert response.status_code == 403
        review.refresh_from_db()
        commission.refresh_from_db()
        assert (review.status, commission.name) == ("provisional", "Economic Commission for Europe")


class RegionalDeleteTests:
    def commission_url(self, regional) -> str:
        return f"/tracking/review-cycle/reference/commissions/{regional['commission'].pk}/delete/"

    def review_url(self, regional) -> str:
        return f"/tracking/review-cycle/reference/regional-reviews/{regional['review'].pk}/delete/"

    def test_review_then_commission_deleted(self, regional, secretariat):
        """A confirmation page for each; only the POST deletes, audited; the review first,
        then its commission."""
        client = client_for(secretariat)
        page = client.get(self.review_url(regional)).content.decode()
        assert "Delete the review by ECE, round 2?" in page
        assert "Geneva" in page
        assert 'name="csrfmiddlewaretoken"' in page
        assert "Delete the regional review</button>" in page
        assert "Keep the regional review</a>" in page
        assert RegionalReview.objects.count() == 1
        response = client.post(self.review_url(regional), follow=True)
        assert response.redirect_chain[-1][0] == LIST
        assert "The review by ECE, round 2, is deleted." in response.content.decode()
        assert not RegionalReview.objects.exists()
        assert (
            AuditRecord.objects.get(action="tracking.regional_review.delete").before["place"]
            == "Geneva"
        )
        page = client.get(self.commission_url(regional)).content.decode()
        assert "Delete the commission ECE?" in page
        assert "Delete the commission</button>" in page
        response = client.post(self.commission_url(regional), follow=True)
        assert "The commission ECE is deleted." in response.content.decode()
        assert not RegionalCommission.objects.exists()
        assert AuditRecord.objects.filter(action="tracking.regional_commission.delete").count()

    def test_commission_with_reviews_is_refused(self, regional, secretariat):
        """The confirmation page already says why and offers no button; a POST anyway comes
        back (400) with the same message; nothing is deleted or audited."""
        client = client_for(secretariat)
        page = client.get(self.commission_url(regional)).content.decode()
        message = (
            "The commission ECE cannot be deleted: it is referred to by 1 regional review. "
            "Delete or move those first; nothing was deleted."
        )
        assert message in page
        assert "<button" not in page.split("<main", 1)[-1]
        response = client.post(self.commission_url(regional))
        assert response.status_code == 400
        assert message in response.content.decode()
        assert RegionalCommission.objects.count() == 1
        assert RegionalReview.objects.count() == 1
        assert not AuditRecord.objects.filter(action__endswith=".delete").exists()

    def test_review_with_a_national_review_is_refused(self, regional, secretariat):
        NationalReview.objects.create(
            country=f.country(), title="Voluntary review", regional_review=regional["review"]
        )
        client = client_for(secretariat)
        message = (
            "The review by ECE, round 2, cannot be deleted: it is referred to by 1 national "
            "review. Delete or move those first; nothing was deleted."
        )
        assert message in client.get(self.review_url(regional)).content.decode()
        response = client.post(self.review_url(regional))
        assert response.status_code == 400
        assert message in response.content.decode()
        assert RegionalReview.objects.filter(pk=regional["review"].pk).exists()
        assert NationalReview.objects.count() == 1
        assert not AuditRecord.objects.filter(action__endswith=".delete").exists()

    def test_refusal_in_french(self, regional, secretariat):
        page = (
            client_for(secretariat)
            .get(self.commission_url(regional), HTTP_ACCEPT_LANGUAGE="fr")
            .content.decode()
        )
        assert "Supprimer la commission ECE ?" in page
        assert "1 examen régional" in page

    def test_csrf_is_required(self, regional, secretariat):
        client = Client(enforce_csrf_checks=True)
        client.force_login(secretariat)
        assert client.post(self.review_url(regional)).status_code == 403
        assert RegionalReview.objects.count() == 1

    def test_others_are_refused(self, regional):
        client = client_for(f.user(roles=[("government-focal-point", f.organisation())]))
        for url in (self.commission_url(regional), self.review_url(regional)):
            assert client.get(url).status_code == 403
            assert client.post(url).status_code == 403
            assert Client().post(url).status_code == 302  # to sign in
        assert RegionalReview.objects.count() == 1
        assert RegionalCommission.objects.count() == 1
        assert not AuditRecord.objects.filter(action__endswith=".delete").exists()
